package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.Accounts;
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
 * A person in Chromium signs up from the sign-in page, changes the language, and revokes an app
 * on the account page; fields are found by their labels, buttons and links by their text.
 */
class AccountChromiumTest {
    @CastgateServer static TestServer server;
    static CallbackServer callback;
    static String callbackUrl;
    @HeadlessChromium static Chromium chromium;

    @BeforeAll
    static void setUp() {
        callback = CallbackServer.start();
        callbackUrl = callback.url();
    }

    @AfterAll
    static void stop() {
        if (callback != null) callback.close();
    }

    private static String authorizationUrl(TestClient client, String scope, String state) {
        return Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", scope, "state", state));
    }

    /** Waits for the client's redirect URI and returns the code it received. */
    private static String awaitCode(String state) {
        String landed = chromium.awaitUrl(url -> url.startsWith(callbackUrl + "?"), "the client's redirect URI");
        Map<String, String> params = Urls.queryParams(landed);
        assertThat(params).containsEntry("state", state);
        assertThat(params.get("code")).matches("[0-9a-f]{40}");
        return params.get("code");
    }

    @Test
    void signUpFromTheSignInPageAndAllowTheApp() {
        TestClient client = server.client().redirectUris(callbackUrl).create();
        String state = "st-" + UUID.randomUUID();
        chromium.open(authorizationUrl(client, "openid email", state));
        assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
        chromium.follow("Create an account");

        assertThat(chromium.title()).isEqualTo("Create an account · Castgate");
        assertThat(chromium.text()).contains(client.name());
        String username = "newcomer" + Long.toHexString(System.nanoTime() & 0xffffff);
        chromium.type("Username", username);
        chromium.type("Email", username + "@example.com");
        chromium.type("Name (optional)", "Nora Newcomer");
        chromium.type("Password", username);
        chromium.click("Create account");
        assertThat(chromium.text()).contains("The password must not be your username or email address.");
        assertThat(chromium.fieldLabelled("Username").getDomProperty("value")).isEqualTo(username);
        assertThat(chromium.fieldLabelled("Password").getDomProperty("value")).as("the password is not echoed").isEmpty();

        chromium.type("Password", "my very own passphrase");
        chromium.click("Create account");
        assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
        assertThat(chromium.text()).contains(client.name() + " wants to act for you, Nora Newcomer").contains("See your email address");
        chromium.click("Allow");
        String code = awaitCode(state);

        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", callbackUrl), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        Http.Response userinfo = Accounts.userinfo(server, (String) token.json().get("access_token"));
        assertThat(userinfo.json()).containsEntry("email", username + "@example.com").containsEntry("email_verified", false);
    }

    @Test
    void changeTheLanguageOnTheSignInAndConsentPages() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callbackUrl).create();
        String state = "st-" + UUID.randomUUID();
        chromium.open(authorizationUrl(client, "openid email", state));
        assertThat(chromium.htmlLang()).isEqualTo("en-US");

        chromium.follow("Magyar");
        assertThat(chromium.title()).isEqualTo("Bejelentkezés · Castgate");
        assertThat(chromium.htmlLang()).isEqualTo("hu-HU");
        assertThat(chromium.text()).contains(client.name() + " szeretné használni a fiókját.");
        chromium.type("Felhasználónév vagy e-mail-cím", user.username());
        chromium.type("Jelszó", TestServer.PASSWORD);
        chromium.click("Bejelentkezés");

        assertThat(chromium.title()).isEqualTo("Hozzáférés engedélyezése · Castgate");
        assertThat(chromium.text()).contains("Megerősítheti, hogy Ön kicsoda, amikor bejelentkezik").contains("Láthatja az e-mail-címét");
        chromium.follow("Deutsch");
        assertThat(chromium.title()).isEqualTo("Zugriff erlauben · Castgate");
        assertThat(chromium.htmlLang()).isEqualTo("de-DE");
        assertThat(chromium.text()).contains("Ihre E-Mail-Adresse sehen");
        chromium.click("Erlauben");
        awaitCode(state);
    }

    @Test
    void revokeAnAppOnTheAccountPageEndsItsTokens() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callbackUrl).create();
        String state = "st-" + UUID.randomUUID();
        chromium.open(authorizationUrl(client, "openid", state) + "&device_name=Kitchen%20TV");
        chromium.type("Username or email", user.username());
        chromium.type("Password", TestServer.PASSWORD);
        chromium.click("Sign in");
        chromium.click("Allow");
        String code = awaitCode(state);
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", callbackUrl), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        String accessToken = (String) token.json().get("access_token");
        String refreshToken = (String) token.json().get("refresh_token");
        assertThat(Accounts.userinfo(server, accessToken).status()).isEqualTo(200);
        TestClient resourceServer = server.client().resourceServer().create();
        assertThat(introspect(resourceServer, accessToken)).containsEntry("active", true).containsEntry("client_id", client.id());

        chromium.open(server.url("/account"));
        assertThat(chromium.title()).isEqualTo("Your account · Castgate");
        assertThat(chromium.text()).contains("Connected apps and devices").contains(client.name() + " · Kitchen TV")
                .contains("Confirm who you are when you sign in").contains("First authorized").contains("Last used");
        chromium.click("Revoke");
        assertThat(chromium.text()).contains(client.name() + " can no longer use your account.")
                .contains("No apps or devices are connected to your account.");

        Http.Response refresh = Accounts.refresh(server, client, refreshToken);
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(refresh.json()).containsEntry("error", "invalid_grant");
        Http.Response userinfo = Accounts.userinfo(server, accessToken);
        assertThat(userinfo.status()).isEqualTo(401);
        assertThat(userinfo.header("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        assertThat(introspect(resourceServer, accessToken)).isEqualTo(Map.of("active", false));
        assertThat(introspect(client, refreshToken)).isEqualTo(Map.of("active", false)); // only its own client learns about it

        chromium.click("Sign out");
        assertThat(chromium.text()).contains("You are signed out.");
        chromium.follow("Sign in again");
        assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
        assertThat(chromium.text()).contains("Sign in to manage your account.");
    }

    /** What a resource server, or the token's own client, learns from RFC 7662 introspection. */
    private Map<String, Object> introspect(TestClient caller, String token) {
        Http.Response response = Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", token),
                "Authorization", caller.basic());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
