package dev.castgate.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the token endpoint tests share: sending token requests, getting codes, and checking error responses. */
public final class TokenRequests {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The error description of a refresh token that is not (or no longer) good for this client. */
    public static final String INVALID_REFRESH = "the refresh token is invalid, expired, revoked or was issued to another client";
    /** The error description of a rotated refresh token used again, outside any grace window. */
    public static final String REUSED_REFRESH = "the refresh token was already used; the grant is revoked";

    private final TestServer server;

    public TokenRequests(TestServer server) { this.server = server; }

    /** POSTs a form-urlencoded token request with the given headers. */
    public Http.Response post(Map<String, String> form, String... headers) {
        return Http.client().postForm(server.url("/oauth2/token"), form, headers);
    }

    /** POSTs a token request with client_secret_basic. */
    public Http.Response post(TestClient client, Map<String, String> form) {
        return post(form, "Authorization", client.basic());
    }

    /** A code for {@code client}, after {@code user} signs in and allows; {@code extra} adds or overrides authorization parameters. */
    public String code(TestClient client, User user, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "state", "st"));
        params.putAll(extra);
        params.values().removeIf(v -> v == null);
        BrowserFlow browser = new BrowserFlow(server);
        return browser.code(browser.authorize(params, user.username(), TestServer.PASSWORD), "st");
    }

    public String code(TestClient client, User user, String scope) { return code(client, user, Http.form("scope", scope)); }

    /** Exchanges a fresh code of a web client and returns the token response, which must succeed. */
    public Map<String, Object> tokens(TestClient client, User user, String scope) {
        Http.Response response = post(client, Http.form("grant_type", "authorization_code",
                "code", code(client, user, scope), "redirect_uri", client.redirectUri()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public Http.Response userinfo(Object accessToken) {
        return Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + accessToken);
    }

    /** A random 64-character PKCE code verifier (RFC 7636 §4.1). */
    public static String newVerifier() {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** RFC 7636 §4.2, computed here rather than by the server's own code. */
    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** RFC 6749 §5.2: the status, no caching, and the whole JSON body. */
    public static void assertError(Http.Response response, int status, String error, String description) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.json()).isEqualTo(Map.of("error", error, "error_description", description));
    }

    /** A 400 error that is not about client authentication, so it names no authentication scheme. */
    public static void assertBadRequest(Http.Response response, String error, String description) {
        assertError(response, 400, error, description);
        assertThat(response.headers("WWW-Authenticate")).isEmpty();
    }

    /** RFC 6749 §5.2: invalid_client is 401 and names the scheme the client should use. */
    public static void assertInvalidClient(Http.Response response, String description) {
        assertError(response, 401, "invalid_client", description);
        assertThat(response.headers("WWW-Authenticate")).containsExactly("Basic realm=\"castgate\"");
    }
}
