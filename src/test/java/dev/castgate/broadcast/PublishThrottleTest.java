package dev.castgate.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.ApiCalls;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * on_publish is unauthenticated: refused publishes are throttled per address (past the limit even
 * the right key is refused, unchecked), and a flood of them leaves one audit event per address and
 * window, the next window's event counting the previous window's refusals.
 */
class PublishThrottleTest {
    private record Stream(String name, String channelKey) {}

    private static Stream stream(TestServer server) {
        ApiCalls api = new ApiCalls(server);
        User user = server.createUser();
        String token = api.token(api.clientOf(user), "broadcaster", false);
        Map<String, Object> ingest = api.ingest(api.createChannel(token, "Live"), token);
        return new Stream((String) ingest.get("stream_name"), (String) ingest.get("channel_key"));
    }

    private static Http.Response publish(TestServer server, String name, String key) {
        return new ApiCalls(server).onPublish("name", name, "key", key);
    }

    /** A publish check as nginx-rtmp posts it for a broadcaster at {@code addr} (none when null), with these headers. */
    private static Http.Response publishFrom(TestServer server, String addr, String name, String key, String... headers) {
        ApiCalls api = new ApiCalls(server);
        List<String> fields = new ArrayList<>(List.of("call", "publish", "app", "live", "name", name, "key", key));
        if (addr != null) fields.addAll(List.of("addr", addr));
        return Http.client().postForm(api.url("/broadcast/on_publish"), Http.form(fields.toArray(String[]::new)), headers);
    }

    private static List<AuditEvent> refusals(TestServer server) {
        return server.database().stores().audit().list(Instant.EPOCH, 10_000).stream()
                .filter(e -> e.type() == AuditEvent.Type.PUBLISH_REFUSED).toList();
    }

    @Test
    void pastTheLimitEvenTheRightKeyIsRefusedUntilTheWindowPasses(
            @CastgateServer("CASTGATE_BROADCAST_MAX_REFUSALS_PER_ADDRESS=3") TestServer server) {
        Stream stream = stream(server);
        // Allowed publishes are no refusals: they never count.
        for (int i = 0; i < 5; i++) assertThat(publish(server, stream.name(), stream.channelKey()).status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) assertThat(publish(server, stream.name(), "0".repeat(40)).status()).isEqualTo(403);

        Http.Response throttled = publish(server, stream.name(), stream.channelKey());
        assertThat(throttled.status()).isEqualTo(403);
        assertThat(throttled.json()).isEqualTo(Map.of("error", "access_denied", "error_description", "the publish is not allowed"));
        assertThat(publish(server, "nosuchstream", stream.channelKey()).status()).isEqualTo(403);
        // Five refusals, one audit event.
        assertThat(refusals(server)).singleElement().satisfies(e -> assertThat(e.detail()).contains("wrong key"));

        server.clock().advance(Duration.ofMinutes(16));
        assertThat(publish(server, stream.name(), stream.channelKey()).status()).isEqualTo(200);
    }

    @Test
    void refusalsAreRecordedOncePerAddressAndWindowWithThePreviousWindowsCount(@CastgateServer TestServer server) {
        // The default limit (20) is not reached here.
        Stream stream = stream(server);
        for (int i = 0; i < 10; i++) assertThat(publish(server, stream.name(), "0".repeat(40)).status()).isEqualTo(403);
        assertThat(refusals(server)).singleElement().satisfies(e -> {
            assertThat(e.detail()).contains("wrong key");
            assertThat(e.address()).contains("127.0.0.1");
        });

        // The windows are fixed: a window's length later is always the next one.
        server.clock().advance(Duration.ofMinutes(15));
        assertThat(publish(server, stream.name(), "1".repeat(40)).status()).isEqualTo(403);
        assertThat(publish(server, stream.name(), "2".repeat(40)).status()).isEqualTo(403);
        assertThat(refusals(server)).hasSize(2).last().satisfies(e ->
                assertThat(e.detail()).contains("wrong key; 10 refused from this address in the previous 900s window"));
        // The later refusals of a window are counted, never written one by one.
        assertThat(server.database().stores().audit().list(Instant.EPOCH, 10_000)).filteredOn(
                e -> e.type() == AuditEvent.Type.PUBLISH_REFUSED && e.detail().orElse("").contains("2222")).isEmpty();
    }

    @Test
    void behindALocalIngestServerRefusalsCountPerBroadcasterAddress(
            @CastgateServer("CASTGATE_BROADCAST_MAX_REFUSALS_PER_ADDRESS=3") TestServer server) {
        Stream stream = stream(server);
        // nginx on the same host calls from 127.0.0.1 and names the broadcaster as addr.
        for (int i = 0; i < 5; i++) {
            assertThat(publishFrom(server, "198.51.100.1", stream.name(), "0".repeat(40)).status()).isEqualTo(403);
        }
        assertThat(publishFrom(server, "198.51.100.1", stream.name(), stream.channelKey()).status())
                .as("that broadcaster is throttled").isEqualTo(403);
        assertThat(publishFrom(server, "198.51.100.2", stream.name(), stream.channelKey()).status())
                .as("another broadcaster behind the same nginx is not").isEqualTo(200);
        assertThat(publish(server, stream.name(), stream.channelKey()).status()).isEqualTo(200);
        assertThat(refusals(server)).singleElement().satisfies(e -> assertThat(e.address()).contains("198.51.100.1"));
    }

    @Test
    void aPublishWithAnInvalidAddrCountsUnderTheCallersAddress(
            @CastgateServer("CASTGATE_BROADCAST_MAX_REFUSALS_PER_ADDRESS=3") TestServer server) {
        Stream stream = stream(server);
        for (String addr : List.of("not-an-address", "198.51.100.256", "localhost")) {
            assertThat(publishFrom(server, addr, stream.name(), "0".repeat(40)).status()).isEqualTo(403);
        }
        assertThat(publishFrom(server, null, stream.name(), stream.channelKey()).status())
                .as("the caller's address, 127.0.0.1, is throttled").isEqualTo(403);
        assertThat(publishFrom(server, "", stream.name(), stream.channelKey()).status()).isEqualTo(403);
        assertThat(publishFrom(server, "198.51.100.2", stream.name(), stream.channelKey()).status()).isEqualTo(200);
        assertThat(refusals(server)).singleElement().satisfies(e -> assertThat(e.address()).contains("127.0.0.1"));
    }

    @Test
    void fromACallerThatIsNoTrustedIngestServerAddrIsIgnored(@CastgateServer({"CASTGATE_HTTP_TRUSTED_PROXIES=127.0.0.1",
            "CASTGATE_BROADCAST_MAX_REFUSALS_PER_ADDRESS=3"}) TestServer server) {
        Stream stream = stream(server);
        // Relayed by the trusted proxy, the caller is 203.0.113.7, which is no ingest server.
        for (int i = 1; i <= 3; i++) {
            assertThat(publishFrom(server, "198.51.100." + i, stream.name(), "0".repeat(40), "X-Forwarded-For", "203.0.113.7")
                    .status()).isEqualTo(403);
        }
        assertThat(publishFrom(server, "198.51.100.9", stream.name(), stream.channelKey(), "X-Forwarded-For", "203.0.113.7")
                .status()).isEqualTo(403);
        assertThat(publishFrom(server, "198.51.100.9", stream.name(), stream.channelKey()).status()).isEqualTo(200);
        assertThat(refusals(server)).singleElement().satisfies(e -> assertThat(e.address()).contains("203.0.113.7"));
    }
}
