package dev.castgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code database.pool_size=2}, the smallest the settings allow (the writer of group commit keeps
 * one connection), is a working server: it migrates a new database (on PostgreSQL Flyway holds two
 * connections at once) and serves a sign-in, tokens, refresh, userinfo, introspection and
 * revocation with the one connection left for reads.
 */
class SmallestPoolTest {
    @Test
    void aServerWithTwoConnectionsMigratesANewDatabaseAndServes() {
        try (TestServer server = TestServer.start(Map.of("CASTGATE_DATABASE_POOL_SIZE", "2"))) {
            TokenRequests requests = new TokenRequests(server);
            User user = server.createUser();
            TestClient client = server.client().create();
            Map<String, Object> tokens = requests.tokens(client, user, "openid");
            assertThat(requests.userinfo(tokens.get("access_token")).json()).containsEntry("sub", user.id().value());

            Http.Response refreshed = requests.post(client, Http.form("grant_type", "refresh_token", "refresh_token", (String) tokens.get("refresh_token")));
            assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
            String accessToken = (String) refreshed.json().get("access_token");

            Http.Response introspected = Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken),
                    "Authorization", client.basic());
            assertThat(introspected.json()).containsEntry("active", true);
            assertThat(Http.client().postForm(server.url("/oauth2/revoke"), Http.form("token", accessToken), "Authorization", client.basic())
                    .status()).isEqualTo(200);
            assertThat(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken), "Authorization", client.basic())
                    .body()).isEqualTo("{\"active\":false}");
        }
    }
}
