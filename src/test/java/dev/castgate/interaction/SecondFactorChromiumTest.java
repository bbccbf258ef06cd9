package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Authenticator;
import dev.castgate.testing.CallbackServer;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Chromium;
import dev.castgate.testing.HeadlessChromium;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A person in Chromium turns on two-step sign-in from the account page (scanning is stood in for
 * by reading the key the page shows), signs out, and signs in to an app with the password and
 * then a code; fields are found by their labels, buttons and links by their text.
 */
class SecondFactorChromiumTest {
    @CastgateServer static TestServer server;
    static CallbackServer callback;
    @HeadlessChromium static Chromium chromium;

    @BeforeAll
    static void setUp() {
        callback = CallbackServer.start();
    }

    @AfterAll
    static void stop() {
        if (callback != null) callback.close();
    }

    @Test
    void turnOnTwoStepSignInSignOutAndSignInToAnAppWithACode() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callback.url()).create();

        chromium.open(server.url("/account"));
        chromium.type("Username or email", user.username());
        chromium.type("Password", TestServer.PASSWORD);
        chromium.click("Sign in");
        assertThat(chromium.title()).isEqualTo("Your account · Castgate");
        assertThat(chromium.text()).contains("Two-step sign-in").contains("Off. Add a code from an authenticator app");

        chromium.click("Set up two-step sign-in");
        assertThat(chromium.title()).isEqualTo("Turn on two-step sign-in · Castgate");
        WebElement qr = chromium.driver().findElement(By.cssSelector("figure.qr svg"));
        assertThat(qr.isDisplayed()).isTrue();
        assertThat(qr.getRect().getWidth()).as("the QR code is drawn, large enough to scan").isGreaterThanOrEqualTo(150);
        String key = chromium.driver().findElement(By.cssSelector(".secret code")).getText();
        assertThat(key).matches("([A-Z2-7]{4} ){7}[A-Z2-7]{4}");
        Authenticator app = new Authenticator(key.replace(" ", ""), server.clock());

        chromium.type("Code the app shows", app.wrongCode());
        chromium.click("Turn on");
        assertThat(chromium.text()).contains("That code is not correct. Enter the code the app shows now for this key.");
        chromium.type("Code the app shows", app.code());
        chromium.click("Turn on");
        assertThat(chromium.title()).isEqualTo("Two-step sign-in is on · Castgate");
        List<String> recoveryCodes = chromium.driver().findElements(By.cssSelector(".codes code")).stream().map(WebElement::getText).toList();
        assertThat(recoveryCodes).hasSize(10).allMatch(c -> c.matches("[a-z2-7]{4}(-[a-z2-7]{4}){3}"));

        chromium.follow("Back to your account");
        assertThat(chromium.text()).contains("On: you are asked for a code from your authenticator app after your password.")
                .contains("10 of your recovery codes are left.");
        chromium.click("Sign out");
        assertThat(chromium.text()).contains("You are signed out.");

        String state = "st-" + UUID.randomUUID();
        chromium.open(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid", "state", state)));
        chromium.type("Username or email", user.username());
        chromium.type("Password", TestServer.PASSWORD);
        chromium.click("Sign in");
        assertThat(chromium.title()).isEqualTo("Enter your code · Castgate");
        assertThat(chromium.text()).contains(client.name() + " wants to use your account.");
        chromium.type("Code from your authenticator app", app.nextCode());
        chromium.click("Verify");
        assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
        chromium.click("Allow");

        String landed = chromium.awaitUrl(url -> url.startsWith(callback.url() + "?"), "the client's redirect URI");
        Map<String, String> params = Urls.queryParams(landed);
        assertThat(params).containsEntry("state", state);
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "code", params.get("code"), "redirect_uri", client.redirectUri()), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(JwtClaims.of((String) token.json().get("id_token"))).containsEntry("amr", List.of("pwd", "otp", "mfa"))
                .containsEntry("acr", "2");
    }
}
