package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CallbackServer;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Chromium;
import dev.castgate.testing.HeadlessChromium;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code response_mode=form_post} in a real Chromium: the page's one script runs under its CSP
 * and posts the answer to the client's redirect URI, a local endpoint that records the form and,
 * as web apps do, redirects within its own site, which the page's form-action allows too.
 */
class FormPostChromiumTest {
    @CastgateServer static TestServer server;
    @HeadlessChromium static Chromium chromium;
    static CallbackServer callback;
    static TestClient client;

    @BeforeAll
    static void setUp() {
        callback = CallbackServer.start();
        client = server.client().redirectUris(callback.url()).create();
    }

    @AfterAll
    static void stop() {
        if (callback != null) callback.close();
    }

    @Test
    void theCodeArrivesByPostAndTheClientExchangesIt() {
        User user = server.createUser();
        String state = "st-" + UUID.randomUUID() + " \"<b>&'";
        chromium.open(authorizationUrl(state, Map.of()));
        chromium.type("Username or email", user.username());
        chromium.type("Password", TestServer.PASSWORD);
        chromium.click("Sign in");
        chromium.click("Allow");

        chromium.awaitUrl(url -> url.equals(callback.url().replace("/callback", "/done")), "the client's page after the post");
        assertThat(chromium.text()).isEqualTo("Back at the client.");
        assertThat(callback.methods()).containsEntry(state, "POST");
        Map<String, String> params = callback.received().get(state);
        assertThat(params).containsOnlyKeys("code", "state", "iss").containsEntry("iss", server.issuer());
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "code", params.get("code"), "redirect_uri", callback.url()), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
    }

    @Test
    void anErrorArrivesByPostToo() {
        String state = "st-" + UUID.randomUUID();
        chromium.open(authorizationUrl(state, Map.of("prompt", "none")));

        chromium.awaitUrl(url -> url.endsWith("/done"), "the client's page after the post");
        assertThat(callback.methods()).containsEntry(state, "POST");
        assertThat(callback.received().get(state)).containsOnlyKeys("error", "error_description", "state", "iss")
                .containsEntry("error", "login_required").containsEntry("error_description", "the user is not signed in");
    }

    private static String authorizationUrl(String state, Map<String, String> extra) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", state, "response_mode", "form_post");
        params.putAll(extra);
        return Urls.withQuery(server.url("/authorize"), params);
    }
}
