package dev.castgate.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.ApiCalls;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Key rotation, device passwords and refused publishes leave audit events that hold no secret. */
class BroadcastAuditTest {
    @CastgateServer static TestServer server;
    static ApiCalls api;

    @BeforeAll
    static void setUp() {
        api = new ApiCalls(server);
    }

    private static List<AuditEvent> events(AuditEvent.Type type) {
        return server.database().stores().audit().list(Instant.EPOCH, 10_000).stream().filter(e -> e.type() == type).toList();
    }

    @Test
    void rotationDevicePasswordsAndRefusalsAreAudited() {
        User user = server.createUser();
        TestClient client = api.clientOf(user);
        String token = api.token(client, "broadcaster", false);
        String channel = api.createChannel(token, "Audited");
        Map<String, Object> before = api.ingest(channel, token);

        Http.Response rotated = api.post("/channels/" + channel + "/ingest/channel-key", Map.of(), token);
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(events(AuditEvent.Type.CHANNEL_KEY_ROTATED)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
            assertThat(e.userId()).contains(user.id());
            assertThat(e.clientId()).contains(new ClientId(client.id()));
            assertThat(e.detail()).contains("channel " + channel);
        });

        Http.Response created = api.post("/users/self/device-passwords", Http.form("device_name", "Cam", "valid_from", "0"), token);
        String userName = (String) created.json().get("user_name");
        String password = (String) created.json().get("password");
        assertThat(api.delete("/users/self/device-passwords/" + userName, token).status()).isEqualTo(204);
        assertThat(events(AuditEvent.Type.DEVICE_PASSWORD_CREATED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("device password " + userName));
        assertThat(events(AuditEvent.Type.DEVICE_PASSWORD_REMOVED)).singleElement()
                .satisfies(e -> assertThat(e.userId()).contains(user.id()));

        assertThat(api.onPublish("name", channel, "key", (String) before.get("channel_key")).status()).isEqualTo(403);
        assertThat(events(AuditEvent.Type.PUBLISH_REFUSED)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
            assertThat(e.userId()).contains(user.id());
            assertThat(e.address()).isEqualTo(Optional.of("127.0.0.1"));
            assertThat(e.detail()).contains("wrong key");
        });

        // No event holds a key or a password.
        for (AuditEvent e : server.database().stores().audit().list(Instant.EPOCH, 10_000)) {
            String text = e.toString();
            assertThat(text).doesNotContain((String) before.get("channel_key"), (String) before.get("streaming_key"), password,
                    (String) rotated.json().get("channel_key"));
        }
    }
}
