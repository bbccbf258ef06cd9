package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
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
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * A person in Chromium, with a platform authenticator (Chromium's virtual one: CTAP2, resident
 * keys, verifying the person), adds a passkey on the account page, signs out, signs in to an app
 * with the password and then the passkey, and later with the passkey alone; the pages' one
 * script does the browser's part under a policy that allows no inline script. WebAuthn takes no
 * IP address as its relying party, so this server's issuer is on localhost.
 */
class PasskeyChromiumTest {
    @CastgateServer("CASTGATE_ISSUER=http://localhost:{port}") static TestServer server;
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

    /** The page at {@code path} as the browser opens it: on the issuer's host. */
    private static String local(String path) { return server.url(path).replace("://127.0.0.1:", "://localhost:"); }

    private static Map<String, Object> idToken(TestClient client, String landed, String state) {
        Map<String, String> params = Urls.queryParams(landed);
        assertThat(params).containsEntry("state", state).containsEntry("iss", local(""));
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "authorization_code",
                "code", params.get("code"), "redirect_uri", client.redirectUri()), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return JwtClaims.of((String) token.json().get("id_token"));
    }

    private static String authorizeUrl(TestClient client, String state, String... extra) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(), "response_type", "code",
                "scope", "openid", "state", state);
        params.putAll(Http.form(extra));
        return Urls.withQuery(local("/authorize"), params);
    }

    @Test
    void addAPasskeySignOutAndSignInWithItAfterThePasswordAndThenWithoutOne() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callback.url()).create();
        HasVirtualAuthenticator browser = (HasVirtualAuthenticator) chromium.driver();
        VirtualAuthenticator authenticator = browser.addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true));
        try {
            chromium.open(local("/account"));
            chromium.type("Username or email", user.username());
            chromium.type("Password", TestServer.PASSWORD);
            chromium.click("Sign in");
            assertThat(chromium.title()).isEqualTo("Your account · Castgate");
            assertThat(chromium.text()).contains("Passkeys").contains("None yet.");

            chromium.type("Name of the new passkey", "Test laptop");
            chromium.type("Your password, to add it", TestServer.PASSWORD);
            chromium.click("Add a passkey");
            assertThat(chromium.title()).isEqualTo("Add a passkey · Castgate");
            assertThat(chromium.text()).doesNotContain("Passkeys need JavaScript");
            chromium.click("Create passkey");
            assertThat(chromium.title()).isEqualTo("Your account · Castgate");
            assertThat(chromium.text()).contains("Passkey \"Test laptop\" added.").contains("Last used: never");
            List<Credential> credentials = authenticator.getCredentials();
            assertThat(credentials).hasSize(1);
            assertThat(credentials.get(0).isResidentCredential()).as("a discoverable credential").isTrue();
            assertThat(credentials.get(0).getRpId()).isEqualTo("localhost");

            chromium.click("Sign out");
            assertThat(chromium.text()).contains("You are signed out.");

            String state = "st-" + UUID.randomUUID();
            chromium.open(authorizeUrl(client, state));
            chromium.type("Username or email", user.username());
            chromium.type("Password", TestServer.PASSWORD);
            chromium.click("Sign in");
            assertThat(chromium.title()).isEqualTo("Use your passkey · Castgate");
            assertThat(chromium.text()).contains(client.name() + " wants to use your account.");
            chromium.click("Use a passkey");
            assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
            chromium.click("Allow");
            String landed = chromium.awaitUrl(url -> url.startsWith(callback.url() + "?"), "the client's redirect URI");
            assertThat(idToken(client, landed, state)).containsEntry("amr", List.of("pwd", "hwk", "user", "mfa")).containsEntry("acr", "2")
                    .containsEntry("sub", user.id().value());

            // Another day, in a fresh session: the passkey alone, for an app that asks for two factors.
            chromium.reset();
            String again = "st-" + UUID.randomUUID();
            chromium.open(authorizeUrl(client, again, "acr_values", "2"));
            assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
            chromium.click("Sign in with a passkey");
            String back = chromium.awaitUrl(url -> url.startsWith(callback.url() + "?"), "the client's redirect URI");
            assertThat(idToken(client, back, again)).containsEntry("amr", List.of("hwk", "user", "mfa")).containsEntry("acr", "2")
                    .containsEntry("sub", user.id().value());
            // The authenticator counts its signatures, and the server keeps the last count it saw.
            var stored = server.database().stores().passkeys().list(user.id());
            assertThat(stored).hasSize(1);
            assertThat(stored.get(0).signCount()).isEqualTo(authenticator.getCredentials().get(0).getSignCount()).isGreaterThan(1);
            assertThat(stored.get(0).lastUsedAt()).isPresent();
        } finally {
            browser.removeVirtualAuthenticator(authenticator);
        }

        // The pages that ran the script allow the server's own scripts, and nothing inline.
        for (String page : List.of(server.url("/account"), Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(),
                "redirect_uri", client.redirectUri(), "response_type", "code", "scope", "openid")))) {
            String csp = Http.browser().get(page).header("Content-Security-Policy").orElseThrow();
            assertThat(csp).startsWith("default-src 'none'; script-src 'self'; style-src 'self';").doesNotContain("unsafe-inline");
        }
    }
}
