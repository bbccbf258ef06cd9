package dev.castgate.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole authorization code flow over HTTP, with the forms posted as a browser posts them. */
class AuthorizationCodeFlowTest {
    @CastgateServer static TestServer server;

    @Test
    void signInAllowExchangeRefreshAndCallUserinfo() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);

        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid email", "state", "s-123", "nonce", "n-456"), user.username(), TestServer.PASSWORD);
        assertThat(redirect.location()).startsWith(client.redirectUri() + "?code=");
        String code = browser.code(redirect, "s-123");

        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.header("Cache-Control")).contains("no-store");
        Map<String, Object> body = token.json();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token");
        assertThat((String) body.get("access_token")).matches("[0-9a-f]{40}");
        assertThat((String) body.get("refresh_token")).matches("[0-9a-f]{40}");
        assertThat(body).containsEntry("token_type", "bearer").containsEntry("expires_in", 86400).containsEntry("scope", "email openid");

        Http.Response userinfo = Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + body.get("access_token"));
        assertThat(userinfo.status()).isEqualTo(200);
        assertThat(userinfo.json()).isEqualTo(Map.of("sub", user.id().value(), "email", user.email(), "email_verified", true));

        Http.Response refreshed = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "refresh_token", "refresh_token", (String) body.get("refresh_token")),
                "Authorization", client.basic());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.json().get("refresh_token")).isNotEqualTo(body.get("refresh_token"));
    }

    @Test
    void secondAuthorizationSkipsSignInAndRememberedConsent() {
        User user = server.createUser();
        TestClient client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid", "state", "one");
        browser.code(browser.authorize(params, user.username(), TestServer.PASSWORD), "one");

        Http.Response again = browser.open(params);
        assertThat(again.status()).isEqualTo(302);
        browser.code(again, "one");
    }
}
