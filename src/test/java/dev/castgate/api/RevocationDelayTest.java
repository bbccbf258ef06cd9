package dev.castgate.api;

import static dev.castgate.api.ApiCalls.INVALID;
import static dev.castgate.api.ApiCalls.assertInvalidToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestDatabase;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documented revocation delay: the TokenVerifier caches a live token for 5 seconds. On SQLite
 * a revoked token may answer for up to that long, and never longer; on PostgreSQL the database
 * announces the revocation and the cache forgets it within a second, with no clock moved (two
 * nodes: {@link ChangeNotificationTest}).
 */
class RevocationDelayTest {
    @CastgateServer static TestServer server;
    static ApiCalls api;

    @BeforeAll
    static void setUp() {
        api = new ApiCalls(server);
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void aRevokedTokenStopsWorkingWithinFiveSecondsOrAtOnceOnPostgresql(boolean jwt) {
        assertThat(TokenVerifier.CACHE_TTL).isEqualTo(Duration.ofSeconds(5));
        User user = server.createUser();
        TestClient client = api.clientOf(user);
        String token = api.token(client, "", jwt);
        assertThat(api.get("/users/self", token).status()).isEqualTo(200); // now cached

        Http.Response revoked = Http.client().postForm(server.url("/oauth2/revoke"), Http.form("token", token),
                "Authorization", client.basic());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(server.database().stores().tokens().findActiveAccessToken(
                dev.castgate.crypto.Hashes.tokenHash(token), server.clock().instant())).isEmpty();

        if (TestDatabase.postgres()) {
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> api.get("/users/self", token).status() == 401);
            assertInvalidToken(api.get("/users/self", token), INVALID);
            return;
        }
        server.clock().advance(Duration.ofMillis(4_900));
        assertThat(api.get("/users/self", token).status()).isEqualTo(200); // within the delay: still cached
        server.clock().advance(Duration.ofMillis(100));
        assertInvalidToken(api.get("/users/self", token), INVALID);
        server.clock().advance(Duration.ofSeconds(10));
        assertInvalidToken(api.get("/users/self", token), INVALID);
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void aTokenNeverSeenBeforeIsCheckedAtOnce(boolean jwt) {
        User user = server.createUser();
        TestClient client = api.clientOf(user);
        String token = api.token(client, "", jwt);
        Http.Response revoked = Http.client().postForm(server.url("/oauth2/revoke"), Http.form("token", token),
                "Authorization", client.basic());
        assertThat(revoked.status()).isEqualTo(200);
        assertInvalidToken(api.get("/users/self", token), INVALID);
    }
}
