package dev.castgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every route declared for clients authenticates the client before its endpoint looks at the
 * request: an unauthenticated request is invalid_client (RFC 6749 §5.2) whatever else it lacks.
 */
class ClientRoutesTest {
    private static final List<String> CLIENT_ROUTES = List.of("/oauth2/token", "/oauth2/device_authorization",
            "/oauth2/token/revoke", "/oauth2/revoke", "/oauth2/introspect");

    @CastgateServer static TestServer server;

    @Test
    void noClientAuthenticationIsRefusedBeforeAnythingElse() {
        for (String path : CLIENT_ROUTES) {
            Http.Response r = Http.client().postForm(server.url(path), Http.form("scope", "openid"));
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.headers("WWW-Authenticate")).as(path).containsExactly("Basic realm=\"castgate\"");
            assertThat(r.headers("Cache-Control")).as(path).containsExactly("no-store");
            assertThat(r.json()).as(path).isEqualTo(Map.of("error", "invalid_client", "error_description", "no client authentication was sent"));
        }
    }

    @Test
    void aWrongSecretIsRefusedBeforeAnythingElse() {
        TestClient client = server.client().create();
        for (String path : CLIENT_ROUTES) {
            Http.Response r = Http.client().postForm(server.url(path), Http.form("client_id", client.id(), "client_secret", "wrong"));
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.json()).as(path).containsEntry("error", "invalid_client");
        }
    }
}
