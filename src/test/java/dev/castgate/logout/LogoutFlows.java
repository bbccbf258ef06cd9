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

    /**
     * Signs {@code user} in to {@code client} in {@code browser} with openid (a browser signed in
     * already goes straight to the consent page) and returns the ID token.
     */
    static String idToken(TestServer server, Http browser, TestClient client, User user) {
        BrowserFlow flow = new BrowserFlow(server, browser);
        Http.Response page = flow.open(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", "in"));
        if (page.body().contains("name=\"interaction\" value=\"login\"")) page = flow.signIn(page, user.username(), TestServer.PASSWORD);
        if (page.status() == 200) page = flow.decide(page, "allow");
        return (String) flow.exchange(client, page, "in").get("id_token");
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
