package dev.castgate.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.GrantType;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST /oauth2/device_authorization needs only a public client_id and stores a row per request:
 * it is limited per address and per client in fixed windows, answering 429 with Retry-After and
 * temporarily_unavailable past either limit, until the window ends.
 */
class DeviceAuthorizationLimitTest {
    private static TestClient publicClient(TestServer server) {
        return server.client().nativeApp().grants(GrantType.DEVICE_CODE).create();
    }

    private static void assertLimited(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(429);
        assertThat(response.json()).containsEntry("error", "temporarily_unavailable");
        long retryAfter = Long.parseLong(response.header("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 15 * 60L);
    }

    @Test
    void perAddressPastTheLimitEveryClientIsAnswered429UntilTheWindowEnds(
            @CastgateServer("CASTGATE_DEVICE_MAX_AUTHORIZATIONS_PER_ADDRESS=3") TestServer server) {
        DeviceRequests device = new DeviceRequests(server);
        TestClient first = publicClient(server);
        TestClient second = publicClient(server);
        device.start(first, null, null);
        device.start(first, null, null);
        device.start(second, null, null);
        assertLimited(device.authorize(first, Map.of()));
        assertLimited(device.authorize(second, Map.of()));

        server.clock().advance(Duration.ofMinutes(15));
        device.start(second, null, null);
    }

    @Test
    void perClientPastTheLimitThatClientIsAnswered429AndOthersAreNot(
            @CastgateServer("CASTGATE_DEVICE_MAX_AUTHORIZATIONS_PER_CLIENT=2") TestServer server) {
        DeviceRequests device = new DeviceRequests(server);
        TestClient busy = publicClient(server);
        TestClient other = publicClient(server);
        device.start(busy, null, null);
        device.start(busy, null, null);
        assertLimited(device.authorize(busy, Map.of()));
        device.start(other, null, null);
        // A confidential client is limited alike.
        TestClient confidential = server.client().grants(GrantType.DEVICE_CODE).create();
        device.start(confidential, null, null);
        device.start(confidential, null, null);
        assertLimited(device.authorize(confidential, Map.of()));
    }
}
