package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
import dev.castgate.testing.CallbackServer;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Chromium;
import dev.castgate.testing.HeadlessChromium;
import dev.castgate.testing.Http;
import dev.castgate.testing.MailServer;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person in Chromium, from the sign-in page to the mail and back: signs up and confirms the
 * address with the mailed link; forgets the password, sets a new one with the mailed link, and
 * signs in with it where they left. The mail comes from a real SMTP server on loopback.
 */
class MailChromiumTest {
    @CastgateServer(mail = true) static TestServer server;
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

    private static String authorizationUrl(TestClient client, String state) {
        return Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid email", "state", state));
    }

    /** Waits for the client's redirect URI and exchanges the code it received; answers the access token. */
    private static String awaitTokens(TestClient client, String state) {
        String landed = chromium.awaitUrl(url -> url.startsWith(callback.url() + "?"), "the client's redirect URI");
        Map<String, String> params = Urls.queryParams(landed);
        assertThat(params).containsEntry("state", state);
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "code", params.get("code"), "redirect_uri", client.redirectUri()), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return (String) token.json().get("access_token");
    }

    @Test
    void signUpThenConfirmTheAddressWithTheMailedLink() {
        TestClient client = server.client().redirectUris(callback.url()).create();
        String state = "st-" + UUID.randomUUID();
        chromium.open(authorizationUrl(client, state));
        chromium.follow("Create an account");
        String username = "chromemail" + Long.toHexString(System.nanoTime() & 0xffffff);
        String email = username + "@example.com";
        chromium.type("Username", username);
        chromium.type("Email", email);
        chromium.type("Password", "my very own passphrase");
        chromium.click("Create account");
        assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
        chromium.click("Allow");
        String accessToken = awaitTokens(client, state);
        assertThat(Accounts.userinfo(server, accessToken).json()).containsEntry("email", email).containsEntry("email_verified", false);

        MailServer.Mail mail = server.mail().next(email);
        assertThat(mail.subject()).isEqualTo("Confirm your email address");
        chromium.open(mail.link());
        assertThat(chromium.title()).isEqualTo("Confirm your email address · Castgate");
        assertThat(chromium.text()).contains("Confirm that " + email + " is the email address of your account " + username + ".");
        chromium.click("Confirm the email address");
        assertThat(chromium.title()).isEqualTo("Your email address is confirmed · Castgate");
        assertThat(chromium.text()).contains(email + " is now the confirmed email address of your account.");
        assertThat(Accounts.userinfo(server, accessToken).json()).containsEntry("email_verified", true);

        chromium.follow("Go to your account");
        assertThat(chromium.title()).isEqualTo("Your account · Castgate");
        assertThat(chromium.text()).contains("Your email address is verified.");
    }

    @Test
    void forgotThePasswordSetANewOneWithTheMailedLinkAndSignInWhereYouLeft() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callback.url()).create();
        String state = "st-" + UUID.randomUUID();
        chromium.open(authorizationUrl(client, state));
        assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
        chromium.follow("Forgot your password?");

        assertThat(chromium.title()).isEqualTo("Forgot your password? · Castgate");
        chromium.type("Username or email", user.email());
        chromium.click("Send the link");
        assertThat(chromium.title()).isEqualTo("Check your email · Castgate");
        assertThat(chromium.text()).contains("If an account with that username or email address exists, we have sent a link to its email address.");

        MailServer.Mail mail = server.mail().next(user.email());
        assertThat(mail.subject()).isEqualTo("Reset your password");
        chromium.open(mail.link());
        assertThat(chromium.title()).isEqualTo("Choose a new password · Castgate");
        chromium.type("New password", user.username());
        chromium.click("Set the new password");
        assertThat(chromium.text()).contains("The password must not be your username or email address.");
        chromium.type("New password", "a fresh and long passphrase");
        chromium.fieldLabelled("Also end the access of every app and device you allowed to use your account (you will have to allow them again)")
                .click();
        chromium.click("Set the new password");
        assertThat(chromium.title()).isEqualTo("Your password is changed · Castgate");
        assertThat(chromium.text()).contains("no app or device can use your account until you allow it again");

        chromium.follow("Sign in");
        assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
        assertThat(chromium.text()).contains(client.name() + " wants to use your account.");
        chromium.type("Username or email", user.username());
        chromium.type("Password", "a fresh and long passphrase");
        chromium.click("Sign in");
        assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
        chromium.click("Allow");
        assertThat(Accounts.userinfo(server, awaitTokens(client, state)).status()).isEqualTo(200);
    }
}
