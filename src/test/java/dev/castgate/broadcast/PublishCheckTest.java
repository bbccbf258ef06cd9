package dev.castgate.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.ApiCalls;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /api/broadcast/on_publish as nginx-rtmp calls it: 200 allows, 403 refuses. */
class PublishCheckTest {
    @CastgateServer static TestServer server;
    static ApiCalls api;

    @BeforeAll
    static void setUp() {
        api = new ApiCalls(server);
    }

    record Broadcaster(User user, TestClient client, String token, String channel) {}

    private static Broadcaster broadcaster(boolean jwt) {
        User user = server.createUser();
        TestClient client = api.clientOf(user);
        String token = api.token(client, "broadcaster", jwt);
        return new Broadcaster(user, client, token, api.createChannel(token, "Live"));
    }

    private static void assertAllowed(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    private static void assertRefused(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json()).isEqualTo(Map.of("error", "access_denied", "error_description", "the publish is not allowed"));
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void theStreamingKeyAndTheChannelKeyAllowAPublish(boolean jwt) {
        Broadcaster b = broadcaster(jwt);
        Map<String, Object> ingest = api.ingest(b.channel(), b.token());
        String name = (String) ingest.get("stream_name");
        assertAllowed(api.onPublish("name", name, "key", (String) ingest.get("streaming_key")));
        assertAllowed(api.onPublish("name", name, "key", (String) ingest.get("channel_key")));
        // nginx adds its own fields; they change nothing.
        assertAllowed(api.onPublish("name", name, "key", (String) ingest.get("streaming_key"), "tcurl", "rtmp://127.0.0.1/live",
                "flashver", "FMLE/3.0", "clientid", "7"));
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void wrongKeysAndOtherChannelsAreRefused(boolean jwt) {
        Broadcaster alice = broadcaster(jwt);
        Broadcaster bob = broadcaster(jwt);
        Map<String, Object> a = api.ingest(alice.channel(), alice.token());
        Map<String, Object> b = api.ingest(bob.channel(), bob.token());
        String aliceStream = (String) a.get("stream_name");
        assertRefused(api.onPublish("name", aliceStream, "key", "0".repeat(40)));
        assertRefused(api.onPublish("name", aliceStream, "key", (String) b.get("streaming_key")));
        assertRefused(api.onPublish("name", aliceStream, "key", (String) b.get("channel_key")));
        assertRefused(api.onPublish("name", aliceStream));
        assertRefused(api.onPublish("name", aliceStream, "key", "x".repeat(5000)));
        assertRefused(api.onPublish("name", "nosuchstream", "key", (String) a.get("channel_key")));
        Http.Response noName = api.onPublish("key", (String) a.get("channel_key"));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json()).isEqualTo(Map.of("error", "invalid_request", "error_description", "parameter name is missing"));
        Http.Response twice = Http.client().post(api.url("/broadcast/on_publish"), "application/x-www-form-urlencoded",
                "name=" + aliceStream + "&key=" + a.get("channel_key") + "&key=b");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(Http.client().post(api.url("/broadcast/on_publish"), "application/json", "{}").status()).isEqualTo(400);
        assertThat(server.database().count("audit_events")).isPositive();
    }

    @Test
    void anExpiredStreamingKeyIsRefusedAndTheChannelKeyStillWorks() {
        Broadcaster b = broadcaster(false);
        Map<String, Object> ingest = api.ingest(b.channel(), b.token());
        String name = (String) ingest.get("stream_name");
        server.clock().advance(Duration.ofMinutes(10).minusMillis(1));
        assertAllowed(api.onPublish("name", name, "key", (String) ingest.get("streaming_key")));
        server.clock().advance(Duration.ofMillis(1));
        assertRefused(api.onPublish("name", name, "key", (String) ingest.get("streaming_key")));
        assertAllowed(api.onPublish("name", name, "key", (String) ingest.get("channel_key")));
        // A new ingest request makes a new streaming key; the old one stays refused.
        Map<String, Object> renewed = api.ingest(b.channel(), b.token());
        assertAllowed(api.onPublish("name", name, "key", (String) renewed.get("streaming_key")));
        assertRefused(api.onPublish("name", name, "key", (String) ingest.get("streaming_key")));
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void afterTheGrantIsRevokedAndTheKeyRotatedOldKeysAreRefused(boolean jwt) {
        Broadcaster b = broadcaster(jwt);
        Map<String, Object> old = api.ingest(b.channel(), b.token());
        String name = (String) old.get("stream_name");
        Http.Response revoked = Http.client().postForm(server.url("/oauth2/revoke"), Http.form("token", b.token()),
                "Authorization", b.client().basic());
        assertThat(revoked.status()).isEqualTo(200);
        // Past the API's token cache: the revoked token can no longer fetch keys.
        server.clock().advance(dev.castgate.api.TokenVerifier.CACHE_TTL);
        assertThat(api.get("/channels/" + b.channel() + "/ingest", b.token()).status()).isEqualTo(401);

        String fresh = api.token(b.client(), "broadcaster", jwt);
        Http.Response rotated = api.post("/channels/" + b.channel() + "/ingest/channel-key", Map.of(), fresh);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        assertRefused(api.onPublish("name", name, "key", (String) old.get("channel_key")));
        assertRefused(api.onPublish("name", name, "key", (String) old.get("streaming_key")));
        assertAllowed(api.onPublish("name", name, "key", (String) rotated.json().get("channel_key")));
        assertAllowed(api.onPublish("name", name, "key", (String) rotated.json().get("streaming_key")));
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void aDevicePasswordAllowsAPublishOnlyWithinItsValidity(boolean jwt) {
        Broadcaster b = broadcaster(jwt);
        long now = server.clock().instant().getEpochSecond();
        Http.Response created = api.post("/users/self/device-passwords", Http.form("device_name", "Camera",
                "valid_from", Long.toString(now + 60), "valid_until", Long.toString(now + 3600)), b.token());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String user = (String) created.json().get("user_name");
        String pass = (String) created.json().get("password");
        String name = b.channel();

        assertRefused(api.onPublish("name", name, "user", user, "pass", pass)); // not yet valid
        server.clock().advance(Duration.ofSeconds(61));
        assertAllowed(api.onPublish("name", name, "user", user, "pass", pass));
        assertRefused(api.onPublish("name", name, "user", user, "pass", pass.substring(1) + "0"));
        assertRefused(api.onPublish("name", name, "user", user));
        assertRefused(api.onPublish("name", name, "user", "dpnosuchuser", "pass", pass));
        Broadcaster other = broadcaster(jwt);
        assertRefused(api.onPublish("name", other.channel(), "user", user, "pass", pass)); // not the owner's channel

        server.clock().advance(Duration.ofHours(1));
        assertRefused(api.onPublish("name", name, "user", user, "pass", pass)); // expired

        Http.Response open = api.post("/users/self/device-passwords", Http.form("device_name", "Phone",
                "valid_from", Long.toString(server.clock().instant().getEpochSecond())), b.token());
        String openUser = (String) open.json().get("user_name");
        String openPass = (String) open.json().get("password");
        assertAllowed(api.onPublish("name", name, "user", openUser, "pass", openPass));
        assertThat(api.delete("/users/self/device-passwords/" + openUser, b.token()).status()).isEqualTo(204);
        assertRefused(api.onPublish("name", name, "user", openUser, "pass", openPass)); // removed
    }
}
