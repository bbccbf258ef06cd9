package dev.castgate.logout;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RP-initiated logout in a real browser: the confirmation page in the language ui_locales names,
 * whose button (under the pages' strict CSP, which must let its answer redirect to the client)
 * ends the session and lands on the client's post-logout redirect URI with state; and a hint for
 * the browser's own session, which ends it with no page at all.
 */
class LogoutChromiumTest {
    @CastgateServer static TestServer server;
    static CallbackServer callback;
    @HeadlessChromium static Chromium chromium;

    @BeforeAll
    static void setUp() { callback = CallbackServer.start(); }

    @AfterAll
    static void stop() {
        if (callback != null) callback.close();
    }

    private static void signInOnTheAccountPage(User user) {
        chromium.reset();
        chromium.open(server.url("/account"));
        chromium.type("Username or email", user.username());
        chromium.type("Password", TestServer.PASSWORD);
        chromium.click("Sign in");
        assertThat(chromium.text()).contains(user.username());
    }

    private static void assertSignedOut() {
        chromium.open(server.url("/account"));
        assertThat(chromium.fieldLabelled("Password")).isNotNull();
    }

    @Test
    void theConfirmationPageSpeaksGermanAndItsButtonReturnsToTheClient() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callback.url()).postLogoutRedirectUris(callback.url()).create();
        signInOnTheAccountPage(user);

        chromium.open(Urls.withQuery(server.url("/logout"), Http.form("client_id", client.id(), "post_logout_redirect_uri", callback.url(),
                "state", "bye-de", "ui_locales", "fr de")));
        assertThat(chromium.htmlLang()).isEqualTo("de-DE");
        assertThat(chromium.title()).isEqualTo("Abmelden · Castgate");
        assertThat(chromium.text()).contains("Abmelden?").contains(client.name() + " bittet Sie, sich abzumelden.");
        chromium.click("Abmelden");

        String landed = chromium.awaitUrl(url -> url.startsWith(callback.url() + "?"), "the client's post-logout redirect URI");
        assertThat(Urls.queryParams(landed)).isEqualTo(Map.of("state", "bye-de"));
        assertThat(callback.received()).containsKey("bye-de");
        assertSignedOut();
    }

    @Test
    void aHintForThisBrowsersSessionEndsItWithoutAPage() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callback.url()).postLogoutRedirectUris(callback.url()).create();
        signInOnTheAccountPage(user);
        chromium.open(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(), "redirect_uri", callback.url(),
                "response_type", "code", "scope", "openid", "state", "in")));
        chromium.click("Allow");
        String code = Urls.queryParams(chromium.awaitUrl(url -> url.startsWith(callback.url() + "?"), "the client")).get("code");
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "code", code, "redirect_uri", callback.url()), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);

        chromium.open(Urls.withQuery(server.url("/logout"), Http.form("id_token_hint", (String) token.json().get("id_token"),
                "post_logout_redirect_uri", callback.url(), "state", "bye-now")));
        String landed = chromium.awaitUrl(url -> url.startsWith(callback.url() + "?"), "the client's post-logout redirect URI");
        assertThat(Urls.queryParams(landed)).isEqualTo(Map.of("state", "bye-now"));
        assertSignedOut();
    }
}
