package dev.castgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestDatabase;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one database (README, PostgreSQL and several nodes): what one node or the tool
 * revokes, disables or removes, the other's caches give up. On PostgreSQL the database announces
 * it at commit and the other node refuses within a second, with no clock moved; on SQLite, which
 * has no such notice, the other node's cache holds until its TTL, which the same test shows
 * (the cache is real, so the PostgreSQL case can fail).
 */
class ChangeNotificationTest {
    /** The README's bound on PostgreSQL. */
    private static final Duration WITHIN = Duration.ofSeconds(1);

    @CastgateServer static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void startTheSecondNode() {
        second = TestServer.start(Map.of("CASTGATE_DATABASE_URL", first.jdbcUrl(),
                "CASTGATE_KEYS_ENCRYPTION_KEY_FILE", first.keyFile().toString()));
    }

    @AfterAll
    static void stop() {
        if (second != null) second.close();
    }

    @Test
    void aTokenRevokedAtOneNodeIsRefusedAtTheOthers() {
        ApiCalls atFirst = new ApiCalls(first);
        ApiCalls atSecond = new ApiCalls(second);
        User user = first.createUser();
        TestClient client = atFirst.clientOf(user);
        String token = atFirst.token(client, "", false);
        // Cached at the second node's API.
        assertThat(atSecond.get("/users/self.json", token).status()).isEqualTo(200);

        Http.Response revoked = Http.client().postForm(first.url("/oauth2/revoke"), Http.form("token", token),
                "Authorization", client.basic());
        assertThat(revoked.status()).isEqualTo(200);

        // Userinfo and introspection read the database at every call.
        assertThat(Http.client().get(second.url("/oauth2/userinfo"), "Authorization", "Bearer " + token).status()).isEqualTo(401);
        assertThat(Http.client().postForm(second.url("/oauth2/introspect"), Http.form("token", token), "Authorization", client.basic())
                .body()).isEqualTo("{\"active\":false}");
        refusedAtTheSecondApi(atSecond, token);
    }

    @Test
    void aDisabledAccountsTokensAreRefusedAtTheOtherNode(@TempDir Path dir) {
        ApiCalls atSecond = new ApiCalls(second);
        User user = first.createUser();
        String token = new ApiCalls(first).token(new ApiCalls(first).clientOf(user), "", false);
        assertThat(atSecond.get("/users/self.json", token).status()).isEqualTo(200);

        Tool.Run disabled = Tool.forServer(first, dir).run("user", "disable", user.username());
        assertThat(disabled.exit()).as(disabled.err()).isZero();

        refusedAtTheSecondApi(atSecond, token);
    }

    @Test
    void aClientRemovedWithTheToolIsRefusedByTheOtherNode(@TempDir Path dir) {
        TestClient client = first.client().create();
        // Cached at the second node, whose introspection then authenticates it without the database.
        assertThat(introspect(second, client).status()).isEqualTo(200);

        Tool.Run removed = Tool.forServer(first, dir).run("client", "remove", client.id());
        assertThat(removed.exit()).as(removed.err()).isZero();

        if (TestDatabase.postgres()) {
            await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> introspect(second, client).status() == 401);
        } else {
            assertThat(introspect(second, client).status()).as("cached until the TTL on SQLite").isEqualTo(200);
            second.clock().advance(Duration.ofSeconds(6));
            assertThat(introspect(second, client).status()).isEqualTo(401);
        }
    }

    private static void refusedAtTheSecondApi(ApiCalls atSecond, String token) {
        if (TestDatabase.postgres()) {
            await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> atSecond.get("/users/self.json", token).status() == 401);
        } else {
            assertThat(atSecond.get("/users/self.json", token).status()).as("cached until the TTL on SQLite").isEqualTo(200);
            second.clock().advance(TokenVerifier.CACHE_TTL.plusSeconds(1));
            assertThat(atSecond.get("/users/self.json", token).status()).isEqualTo(401);
        }
    }

    private static Http.Response introspect(TestServer node, TestClient client) {
        return Http.client().postForm(node.url("/oauth2/introspect"), Http.form("token", "no-such-token"),
                "Authorization", client.basic());
    }
}
