package dev.castgate.userinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.admin.UserAccounts;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET and POST /oauth2/userinfo (OIDC Core §5.3) with bearer tokens as RFC 6750 sends them. */
class UserInfoEndpointTest {
    private static final String REALM_ONLY = "Bearer realm=\"castgate\"";

    @CastgateServer static TestServer server;
    static User user;
    static TestClient client;

    @BeforeAll
    static void setUp() {
        user = server.createUser();
        client = server.client().create();
    }

    @Test
    void getWithTheAuthorizationHeader() {
        String token = accessToken("openid");
        Http.Response r = Http.client().get(userinfo(), "Authorization", "Bearer " + token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        assertThat(r.json()).isEqualTo(Map.of("sub", user.id().value()));
    }

    @Test
    void postWithTheAuthorizationHeader() {
        String token = accessToken("openid");
        Http.Response r = Http.client().post(userinfo(), null, "", "Authorization", "Bearer " + token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(Map.of("sub", user.id().value()));

        Http.Response withEmptyForm = Http.client().postForm(userinfo(), Map.of(), "Authorization", "Bearer " + token);
        assertThat(withEmptyForm.status()).as(withEmptyForm.body()).isEqualTo(200);
    }

    @Test
    void postWithTheTokenInTheFormBody() {
        // RFC 6750 §2.2
        String token = accessToken("openid");
        Http.Response r = Http.client().postForm(userinfo(), Http.form("access_token", token));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(Map.of("sub", user.id().value()));
    }

    @Test
    void tokenSentTwoWaysIsInvalidRequest() {
        // RFC 6750 §2: a client uses one method per request.
        String token = accessToken("openid");
        Http.Response r = Http.client().postForm(userinfo(), Http.form("access_token", token), "Authorization", "Bearer " + token);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("error", "invalid_request");
    }

    @Test
    void tokenInTheQueryIsNotAccepted() {
        // RFC 9700 §2.5: access tokens are not sent in the query.
        String token = accessToken("openid");
        Http.Response r = Http.client().get(userinfo() + "?access_token=" + token);
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void schemeIsCaseInsensitive() {
        String token = accessToken("openid");
        for (String scheme : new String[] {"bearer", "BEARER", "bEaReR"}) {
            Http.Response r = Http.client().get(userinfo(), "Authorization", scheme + " " + token);
            assertThat(r.status()).as(scheme).isEqualTo(200);
            assertThat(r.json()).as(scheme).containsEntry("sub", user.id().value());
        }
    }

    @Test
    void noTokenIs401WithTheRealmAndNoErrorCode() {
        // RFC 6750 §3.1: a request without any token gets no error information.
        for (Http.Response r : new Http.Response[] {Http.client().get(userinfo()), Http.client().postForm(userinfo(), Map.of())}) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers("WWW-Authenticate")).containsExactly(REALM_ONLY);
            assertThat(r.body()).doesNotContain("error");
            assertThat(r.header("Cache-Control")).hasValue("no-store");
        }
    }

    @Test
    void unknownTokenIsInvalidToken() {
        Http.Response r = Http.client().get(userinfo(), "Authorization", "Bearer 0123456789abcdef0123456789abcdef01234567");
        assertInvalidToken(r);
        Http.Response posted = Http.client().postForm(userinfo(), Http.form("access_token", "0123456789abcdef0123456789abcdef01234567"));
        assertInvalidToken(posted);
    }

    @Test
    void malformedTokensAreInvalidToken() {
        for (String token : new String[] {"x", "not a token", "A".repeat(5000)}) {
            assertInvalidToken(Http.client().get(userinfo(), "Authorization", "Bearer " + token));
        }
    }

    @Test
    void expiredTokenIsInvalidToken() {
        TestClient shortLived = server.client().accessTokenTtl(Duration.ofMinutes(5)).create();
        String token = accessToken(shortLived, "openid");
        assertThat(Http.client().get(userinfo(), "Authorization", "Bearer " + token).status()).isEqualTo(200);
        server.clock().advance(Duration.ofMinutes(5).plusSeconds(1));
        assertInvalidToken(Http.client().get(userinfo(), "Authorization", "Bearer " + token));
    }

    @Test
    void tokenOfARevokedGrantIsInvalidToken() {
        // A replayed authorization code revokes what the first exchange issued (RFC 6749 §4.1.2).
        String code = code(client, "openid");
        String token = (String) exchange(client, code).get("access_token");
        assertThat(Http.client().get(userinfo(), "Authorization", "Bearer " + token).status()).isEqualTo(200);
        Http.Response replay = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                "Authorization", client.basic());
        assertThat(replay.status()).isEqualTo(400);
        assertInvalidToken(Http.client().get(userinfo(), "Authorization", "Bearer " + token));
    }

    @Test
    void tokenWithoutOpenidIsInsufficientScope() {
        String token = accessToken("email profile");
        Http.Response r = Http.client().get(userinfo(), "Authorization", "Bearer " + token);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate")).hasValueSatisfying(h ->
                assertThat(h).startsWith(REALM_ONLY + ",").contains("error=\"insufficient_scope\""));
        assertThat(r.json()).containsOnlyKeys("error", "error_description").containsEntry("error", "insufficient_scope");
    }

    @Test
    void clientCredentialsTokenIsInsufficientScope() {
        User owner = server.createUser();
        TestClient machine = server.client().owner(owner).create();
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "scope", "email"), "Authorization", machine.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        Http.Response r = Http.client().get(userinfo(), "Authorization", "Bearer " + token.json().get("access_token"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).containsEntry("error", "insufficient_scope");
    }

    @Test
    void claimsPerScope() {
        Map<String, Object> openidOnly = claims("openid");
        assertThat(openidOnly).isEqualTo(Map.of("sub", user.id().value()));

        int updatedAt = (int) user.updatedAt().getEpochSecond();
        assertThat(claims("openid profile")).isEqualTo(Map.of("sub", user.id().value(), "name", user.name().orElseThrow(),
                "preferred_username", user.username(), "updated_at", updatedAt));

        assertThat(claims("openid email")).isEqualTo(Map.of("sub", user.id().value(), "email", user.email(), "email_verified", true));

        assertThat(claims("openid profile email broadcaster")).isEqualTo(Map.of("sub", user.id().value(), "name", user.name().orElseThrow(),
                "preferred_username", user.username(), "updated_at", updatedAt, "email", user.email(), "email_verified", true));
    }

    @Test
    void unverifiedEmailSaysSo() {
        RandomTokens random = RandomTokens.secure();
        String name = "unverified" + Long.toHexString(System.nanoTime());
        User unverified = new UserAccounts(server.database().stores(), new PasswordHasher(random), random, server.clock())
                .create(name, name + "@example.com", false, Optional.empty(), TestServer.PASSWORD);
        Http.Response r = Http.client().get(userinfo(), "Authorization", "Bearer "
                + exchange(client, code(client, unverified, "openid profile email")).get("access_token"));
        assertThat(r.status()).isEqualTo(200);
        // No name on the account: the claim is left out rather than sent empty.
        assertThat(r.json()).isEqualTo(Map.of("sub", unverified.id().value(), "preferred_username", name,
                "updated_at", (int) unverified.updatedAt().getEpochSecond(), "email", name + "@example.com", "email_verified", false));
    }

    @Test
    void subIsTheIdTokenSubject() {
        Map<String, Object> tokens = exchange(client, code(client, "openid"));
        String[] parts = ((String) tokens.get("id_token")).split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> info = Http.client().get(userinfo(), "Authorization", "Bearer " + tokens.get("access_token")).json();
        // OIDC Core §5.3.2: the sub in the UserInfo response must equal the ID token's.
        assertThat(payload).contains("\"sub\":\"" + info.get("sub") + "\"");
    }

    // ---- helpers ----

    private static String userinfo() { return server.url("/oauth2/userinfo"); }

    private static Map<String, Object> claims(String scope) {
        Http.Response r = Http.client().get(userinfo(), "Authorization", "Bearer " + accessToken(scope));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static String accessToken(String scope) { return accessToken(client, scope); }

    private static String accessToken(TestClient c, String scope) {
        return (String) exchange(c, code(c, scope)).get("access_token");
    }

    private static String code(TestClient c, String scope) { return code(c, user, scope); }

    private static String code(TestClient c, User u, String scope) {
        BrowserFlow browser = new BrowserFlow(server);
        return browser.code(browser.authorize(Http.form("client_id", c.id(), "redirect_uri", c.redirectUri(),
                "response_type", "code", "scope", scope, "state", "ui"), u.username(), TestServer.PASSWORD), "ui");
    }

    private static Map<String, Object> exchange(TestClient c, String code) {
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", c.redirectUri()),
                "Authorization", c.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.json();
    }

    private static void assertInvalidToken(Http.Response r) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers("WWW-Authenticate")).hasSize(1);
        assertThat(r.header("WWW-Authenticate")).hasValueSatisfying(h ->
                assertThat(h).startsWith(REALM_ONLY + ",").contains("error=\"invalid_token\""));
        assertThat(r.json()).containsOnlyKeys("error", "error_description").containsEntry("error", "invalid_token");
        assertThat(r.header("Cache-Control")).hasValue("no-store");
    }
}
