package dev.castgate.logout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.Map;

/** A person signing in to a client in a browser, and the client's logout requests, for the logout tests. */
final class LogoutFlows {
    private LogoutFlows() {}

    /** Signs {@code user} in to {@code client} in {@code browser} with openid and returns the ID token. */
    static String idToken(TestServer server, Http browser, TestClient client, User user) {
        Map<String, Object> tokens = new BrowserFlow(server, browser).exchange(client, new BrowserFlow(server, browser).authorize(
                Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code", "scope", "openid",
                        "state", "in"), user.username(), TestServer.PASSWORD), "in");
        return (String) tokens.get("id_token");
    }

    /** GET /logout with {@code params}. */
    static Http.Response logout(TestServer server, Http browser, String... params) {
        return browser.get(Urls.withQuery(server.url("/logout"), Http.form(params)));
    }

    /** Whether {@code browser} still has a live session: the account page shows the account rather than the sign-in form. */
    static boolean signedIn(TestServer server, Http browser) {
        Http.Response account = browser.get(server.url("/account"));
        assertThat(account.status()).isEqualTo(200);
        return !account.body().contains("action=\"/account/login\"");
    }
}
