package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Chromium;
import dev.castgate.testing.HeadlessChromium;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A person in a real Chromium authorizes a legacy client: the implicit flow and the code flow end
 * on the built-in landing page, which shows the token or code it received.
 */
class LegacyChromiumTest {
    @CastgateServer static TestServer server;
    @HeadlessChromium static Chromium chromium;

    private void signInAndAllow(User user, String... consentShows) {
        assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
        chromium.type("Username or email", user.username());
        chromium.type("Password", TestServer.PASSWORD);
        chromium.click("Sign in");
        assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
        for (String text : consentShows) assertThat(chromium.text()).contains(text);
        chromium.click("Allow");
    }

    private String shown(String name) { return chromium.driver().findElement(By.id(name)).getText(); }

    @Test
    void implicitTokenLandsOnTheLandingPage() {
        User user = server.createUser();
        String landing = server.url("/oauth2/redirect");
        TestClient client = server.client().allowImplicit().redirectUris(landing).create();
        chromium.open(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(), "redirect_uri", landing,
                "response_type", "token", "scope", "broadcaster", "state", "XYZ", "device_name", "Living room TV")));
        signInAndAllow(user, "Living room TV");

        String url = chromium.awaitUrl(u -> u.startsWith(landing + "?"), "the landing page");
        Map<String, String> params = Urls.queryParams(url);
        assertThat(chromium.title()).isEqualTo("Access token received · Castgate");
        assertThat(shown("access_token")).isEqualTo(params.get("access_token")).matches("[0-9a-f]{40}");
        assertThat(shown("token_type")).isEqualTo("bearer");
        assertThat(shown("expires_in")).isEqualTo("86400");
        assertThat(shown("state")).isEqualTo("XYZ");
        Http.Response userinfo = Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + params.get("access_token"));
        assertThat(userinfo.json()).containsEntry("error", "insufficient_scope"); // live, but without openid
    }

    @Test
    void codeLandsOnTheLandingPageInTheChosenLanguage() {
        User user = server.createUser();
        String landing = server.url("/oauth2/redirect");
        TestClient client = server.client().redirectUris(landing).create();
        chromium.open(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(), "redirect_uri", landing,
                "response_type", "code", "state", "s1")));
        signInAndAllow(user);
        chromium.awaitUrl(u -> u.startsWith(landing + "?"), "the landing page");
        assertThat(chromium.title()).isEqualTo("Authorization code received · Castgate");
        String code = shown("code");
        assertThat(code).matches("[0-9a-f]{40}");
        chromium.follow("Deutsch");
        assertThat(chromium.title()).isEqualTo("Autorisierungscode erhalten · Castgate");
        assertThat(shown("code")).isEqualTo(code);
    }
}
