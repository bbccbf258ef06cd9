package dev.castgate.claims;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.Map;

/** What the claims tests ask of a server as a relying party would: tokens through a browser, userinfo, a refresh. */
final class ClaimsCalls {
    private ClaimsCalls() {}

    /** Signs in as {@code username} in a fresh browser, allows, and exchanges the code for the client's tokens. */
    static Map<String, Object> tokens(TestServer server, TestClient client, String username, Map<String, String> params, String state) {
        BrowserFlow flow = new BrowserFlow(server);
        return flow.exchange(client, flow.authorize(params, username, TestServer.PASSWORD), state);
    }

    static Map<String, Object> userinfo(TestServer server, Map<String, Object> tokens) {
        Http.Response r = Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + tokens.get("access_token"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static Map<String, Object> refreshed(TestServer server, TestClient client, Map<String, Object> tokens) {
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "refresh_token", "refresh_token", (String) tokens.get("refresh_token")), "Authorization", client.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }
}
