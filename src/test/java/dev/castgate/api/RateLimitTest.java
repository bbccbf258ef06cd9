package dev.castgate.api;

import static dev.castgate.api.ApiCalls.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fixed-window rate limits per token and per address, with the original's headers and Retry-After on 429. */
class RateLimitTest {
    private static final String TOO_MANY = "too many requests; try again after the time in Retry-After";

    TestServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    private ApiCalls start(String perToken, String perAddress) {
        server = TestServer.start(Map.of("CASTGATE_API_RATE_LIMIT_PER_TOKEN", perToken,
                "CASTGATE_API_RATE_LIMIT_PER_ADDRESS", perAddress, "CASTGATE_API_RATE_LIMIT_WINDOW", "60s"));
        // Start the test at the beginning of a window, so the window cannot end halfway through it.
        long now = server.clock().millis();
        server.clock().advance(Duration.ofMillis(60_000 - Math.floorMod(now, 60_000)));
        return new ApiCalls(server);
    }

    private long windowEnd() {
        long now = server.clock().millis();
        return (now - Math.floorMod(now, 60_000) + 60_000) / 1000;
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void theFourthRequestOfATokenIsRefusedUntilTheWindowEnds(boolean jwt) {
        ApiCalls api = start("3", "100");
        User user = server.createUser();
        TestClient client = api.clientOf(user);
        String token = api.token(client, "", jwt);
        long reset = windowEnd();
        for (int remaining = 2; remaining >= 0; remaining--) {
            Http.Response r = api.get("/users/self", token);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header("X-RateLimit-Limit")).hasValue("3");
            assertThat(r.header("X-RateLimit-Remaining")).hasValue(Integer.toString(remaining));
            assertThat(r.header("X-RateLimit-Reset")).hasValue(Long.toString(reset));
            assertThat(r.header("Retry-After")).isEmpty();
        }
        server.clock().advance(Duration.ofSeconds(20));
        Http.Response refused = api.get("/users/self.json", token);
        assertApiError(refused, 429, "too_many_requests", TOO_MANY);
        assertThat(refused.header("X-RateLimit-Limit")).hasValue("3");
        assertThat(refused.header("X-RateLimit-Remaining")).hasValue("0");
        assertThat(refused.header("X-RateLimit-Reset")).hasValue(Long.toString(reset));
        assertThat(refused.header("Retry-After")).hasValue("40");

        // Another token of the same address still has its own allowance.
        String other = api.token(client, "", jwt);
        Http.Response fresh = api.get("/users/self", other);
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        assertThat(fresh.header("X-RateLimit-Remaining")).hasValue("2");

        server.clock().advance(Duration.ofSeconds(40));
        Http.Response next = api.get("/users/self", token);
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(next.header("X-RateLimit-Remaining")).hasValue("2");
    }

    @Test
    void anAddressIsLimitedWithoutATokenToo() {
        ApiCalls api = start("100", "2");
        User user = server.createUser();
        String channel = api.createChannel(api.token(api.clientOf(user), "broadcaster", false), "Public"); // hit 1
        Http.Response second = api.get("/channels/" + channel, null);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.header("X-RateLimit-Limit")).hasValue("2");
        assertThat(second.header("X-RateLimit-Remaining")).hasValue("0");
        Http.Response third = api.get("/channels/" + channel, null);
        assertApiError(third, 429, "too_many_requests", TOO_MANY);
        assertThat(third.header("Retry-After")).hasValue("60");
        // Invalid and missing tokens count against the address as well, and are refused before the token is checked.
        assertApiError(api.get("/users/self", "nonsense"), 429, "too_many_requests", TOO_MANY);
    }

    @Test
    void countersAreSharedThroughTheDatabaseAndSweptWhenTheirWindowEnds() {
        ApiCalls api = start("5", "100");
        User user = server.createUser();
        String token = api.token(api.clientOf(user), "", false);
        assertThat(api.get("/users/self", token).status()).isEqualTo(200);
        // Two rows, one per bucket (address and token): another node would add to the same rows.
        assertThat(server.database().count("api_rate_limits")).isEqualTo(2);
        server.sweep();
        assertThat(server.database().count("api_rate_limits")).isEqualTo(2);
        server.clock().advance(Duration.ofSeconds(60));
        server.sweep();
        assertThat(server.database().count("api_rate_limits")).isZero();
    }

    @Test
    void twoNodesSharingTheDatabaseCountTogether() {
        ApiCalls first = start("3", "100");
        Map<String, String> limits = Map.of("CASTGATE_API_RATE_LIMIT_PER_TOKEN", "3", "CASTGATE_API_RATE_LIMIT_PER_ADDRESS", "100",
                "CASTGATE_API_RATE_LIMIT_WINDOW", "60s", "CASTGATE_DATABASE_URL", server.jdbcUrl(),
                "CASTGATE_KEYS_ENCRYPTION_KEY_FILE", server.keyFile().toString()); // nodes of one database share its key
        try (TestServer node = TestServer.start(limits)) {
            // Both clocks at the start of the same window.
            long target = Math.max(server.clock().millis(), node.clock().millis()) / 60_000 * 60_000 + 60_000;
            server.clock().advance(Duration.ofMillis(target - server.clock().millis()));
            node.clock().advance(Duration.ofMillis(target - node.clock().millis()));
            ApiCalls second = new ApiCalls(node);
            String token = first.token(first.clientOf(server.createUser()), "", false);

            assertThat(first.get("/users/self", token).header("X-RateLimit-Remaining")).hasValue("2");
            assertThat(second.get("/users/self", token).header("X-RateLimit-Remaining")).hasValue("1");
            assertThat(first.get("/users/self", token).header("X-RateLimit-Remaining")).hasValue("0");
            assertApiError(second.get("/users/self", token), 429, "too_many_requests", TOO_MANY);
            assertApiError(first.get("/users/self", token), 429, "too_many_requests", TOO_MANY);
        }
    }

    @Test
    void theWindowAndLimitsAreCheckedSettings() {
        for (Map<String, String> bad : java.util.List.of(
                Map.of("CASTGATE_API_RATE_LIMIT_PER_TOKEN", "0"),
                Map.of("CASTGATE_API_RATE_LIMIT_PER_ADDRESS", "many"),
                Map.of("CASTGATE_API_RATE_LIMIT_WINDOW", "2h"),
                Map.of("CASTGATE_API_BASE_PATH", "api/"),
                Map.of("CASTGATE_BROADCAST_RTMP_URL", "http://x"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.castgate.config.ConfigLoader.load(bad, java.util.Optional.empty()))
                    .isInstanceOf(dev.castgate.config.ConfigException.class);
        }
    }
}
