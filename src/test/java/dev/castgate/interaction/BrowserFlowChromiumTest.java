package dev.castgate.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.domain.User;
import dev.castgate.testing.CallbackServer;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Chromium;
import dev.castgate.testing.HeadlessChromium;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person in a real Chromium goes through the sign-in and consent pages, finding fields by
 * their labels and buttons by their text, and ends on the client's redirect URI: a small local
 * HTTP endpoint that records what it received.
 */
class BrowserFlowChromiumTest {
    private static final String SCOPE = "openid email";

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

    private String authorizationUrl(TestClient client, String state, String nonce) {
        return Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", SCOPE, "state", state, "nonce", nonce));
    }

    private void signIn(String username, String password) {
        assertThat(chromium.title()).isEqualTo("Sign in · Castgate");
        chromium.type("Username or email", username);
        chromium.type("Password", password);
        chromium.click("Sign in");
    }

    private static String newState() { return "state-" + UUID.randomUUID(); }

    @Test
    void signInAllowAndExchangeTheCodeForTokens() throws IOException {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callbackUrl).create();
        String state = newState();
        chromium.open(authorizationUrl(client, state, "nonce-1"));
        assertThat(chromium.text()).contains(client.name() + " wants to use your account.");

        signIn(user.username(), TestServer.PASSWORD);
        assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
        assertThat(chromium.text()).contains(client.name() + " wants to act for you, " + user.name().orElseThrow())
                .contains("Confirm who you are when you sign in").contains("See your email address");
        chromium.click("Allow");

        String landed = chromium.awaitUrl(url -> url.startsWith(callbackUrl + "?"), "the client's redirect URI");
        assertThat(chromium.text()).isEqualTo("Back at the client.");
        Map<String, String> params = callback.received().get(state);
        assertThat(params).as("what the client's redirect endpoint received").isNotNull();
        assertThat(Urls.queryParams(landed)).isEqualTo(params);
        assertThat(params).containsOnlyKeys("code", "state", "iss").containsEntry("iss", server.issuer());
        assertThat(params.get("code")).matches("[0-9a-f]{40}");

        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", params.get("code"), "redirect_uri", callbackUrl),
                "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        Map<String, Object> body = token.json();
        assertThat(body).containsKeys("access_token", "refresh_token", "id_token").containsEntry("scope", "email openid");
        Map<String, Object> claims = jwtClaims((String) body.get("id_token"));
        assertThat(claims).containsEntry("iss", server.issuer()).containsEntry("sub", user.id().value())
                .containsEntry("aud", client.id()).containsEntry("nonce", "nonce-1").containsEntry("email", user.email());
    }

    @Test
    void denyReturnsAccessDeniedWithTheState() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callbackUrl).create();
        String state = newState();
        chromium.open(authorizationUrl(client, state, "nonce-2"));
        signIn(user.email(), TestServer.PASSWORD);
        chromium.click("Deny");

        chromium.awaitUrl(url -> url.startsWith(callbackUrl + "?"), "the client's redirect URI");
        Map<String, String> params = callback.received().get(state);
        assertThat(params).as("what the client's redirect endpoint received").isNotNull();
        assertThat(params).containsEntry("error", "access_denied").containsEntry("state", state)
                .containsEntry("iss", server.issuer()).doesNotContainKey("code");
    }

    @Test
    void wrongPasswordShowsTheErrorAndTheSignInFormAgain() {
        User user = server.createUser();
        TestClient client = server.client().redirectUris(callbackUrl).create();
        String state = newState();
        chromium.open(authorizationUrl(client, state, "nonce-3"));
        signIn(user.username(), "not the password");

        assertThat(chromium.text()).contains("The username or password is not correct.");
        assertThat(chromium.currentUrl()).startsWith(server.url("/authorize"));
        assertThat(chromium.fieldLabelled("Password").getDomProperty("value")).as("the password is not echoed").isEmpty();
        assertThat(callback.received()).doesNotContainKey(state);

        // The person tries again on the same page and gets through.
        signIn(user.username(), TestServer.PASSWORD);
        assertThat(chromium.title()).isEqualTo("Allow access · Castgate");
    }

    private static Map<String, Object> jwtClaims(String jwt) throws IOException {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return new ObjectMapper().readValue(Base64.getUrlDecoder().decode(parts[1]), new TypeReference<Map<String, Object>>() {});
    }
}
