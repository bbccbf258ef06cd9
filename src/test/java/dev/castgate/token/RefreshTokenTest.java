package dev.castgate.token;

import static dev.castgate.token.TokenRequests.INVALID_REFRESH;
import static dev.castgate.token.TokenRequests.REUSED_REFRESH;
import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The refresh token grant (RFC 6749 §6): rotation with reuse detection (RFC 9700 §4.14.2), scope, lifetime, ID tokens. */
class RefreshTokenTest {

    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    @Test
    void everyUseRotatesTheRefreshToken() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");

        Map<String, Object> second = refresh(client, first.get("refresh_token"));
        Map<String, Object> third = refresh(client, second.get("refresh_token"));

        assertThat(List.of(first.get("refresh_token"), second.get("refresh_token"), third.get("refresh_token"))).doesNotHaveDuplicates()
                .allSatisfy(t -> assertThat((String) t).matches("[0-9a-f]{40}"));
        assertThat(List.of(first.get("access_token"), second.get("access_token"), third.get("access_token"))).doesNotHaveDuplicates();
        assertThat(third).containsEntry("token_type", "bearer").containsEntry("expires_in", 86400).containsEntry("scope", "openid");
        // Rotation alone revokes no access token.
        assertThat(token.userinfo(first.get("access_token")).status()).isEqualTo(200);
        assertThat(token.userinfo(third.get("access_token")).status()).isEqualTo(200);
    }

    @Test
    void reusingARotatedTokenRevokesTheWholeGrant() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = refresh(client, first.get("refresh_token"));
        Map<String, Object> third = refresh(client, second.get("refresh_token"));

        assertBadRequest(refreshRequest(client, first.get("refresh_token"), null), "invalid_grant", REUSED_REFRESH);

        assertBadRequest(refreshRequest(client, third.get("refresh_token"), null), "invalid_grant", INVALID_REFRESH);
        for (Map<String, Object> issued : List.of(first, second, third)) {
            assertThat(token.userinfo(issued.get("access_token")).status()).isEqualTo(401);
        }
    }

    @Test
    void reusingAnyRotatedTokenRevokes() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = refresh(client, first.get("refresh_token"));
        Map<String, Object> third = refresh(client, second.get("refresh_token"));

        assertBadRequest(refreshRequest(client, second.get("refresh_token"), null), "invalid_grant", REUSED_REFRESH);
        assertBadRequest(refreshRequest(client, third.get("refresh_token"), null), "invalid_grant", INVALID_REFRESH);
        assertThat(token.userinfo(third.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void reuseEndsOnlyItsOwnGrant() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> kept = token.tokens(client, user, "openid");
        Map<String, Object> first = token.tokens(client, user, "openid");
        refresh(client, first.get("refresh_token"));

        assertBadRequest(refreshRequest(client, first.get("refresh_token"), null), "invalid_grant", REUSED_REFRESH);
        assertThat(token.userinfo(kept.get("access_token")).status()).isEqualTo(200);
        refresh(client, kept.get("refresh_token"));
    }

    @Test
    void narrowingTheScopeNarrowsOnlyTheNewAccessToken() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid email profile");
        assertThat(first).containsEntry("scope", "email openid profile");

        Map<String, Object> narrowed = refresh(client, first.get("refresh_token"), "openid email");
        assertThat(narrowed).containsEntry("scope", "email openid");
        assertThat(token.userinfo(narrowed.get("access_token")).json())
                .isEqualTo(Map.of("sub", user.id().value(), "email", user.email(), "email_verified", true));

        // RFC 6749 §6: the new refresh token keeps the grant's whole scope.
        Map<String, Object> whole = refresh(client, narrowed.get("refresh_token"));
        assertThat(whole).containsEntry("scope", "email openid profile");
    }

    @Test
    void narrowingAwayOpenidDropsTheIdToken() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid email");
        Map<String, Object> narrowed = refresh(client, first.get("refresh_token"), "email");
        assertThat(narrowed).containsEntry("scope", "email").doesNotContainKey("id_token");
    }

    @Test
    void wideningTheScopeIsInvalidScope() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");

        assertBadRequest(refreshRequest(client, first.get("refresh_token"), "openid broadcaster"),
                "invalid_scope", "the refresh token does not cover: broadcaster");

        // A refused request issued nothing, so the client's refresh token must still be good (and not count as reused).
        Map<String, Object> refreshed = refresh(client, first.get("refresh_token"));
        assertThat(refreshed).containsEntry("scope", "openid");
        assertThat(token.userinfo(first.get("access_token")).status()).isEqualTo(200);
    }

    @Test
    void reuseWithAWiderScopeIsStillReuse() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = refresh(client, first.get("refresh_token"));

        assertBadRequest(refreshRequest(client, first.get("refresh_token"), "openid broadcaster"), "invalid_grant", REUSED_REFRESH);
        assertBadRequest(refreshRequest(client, second.get("refresh_token"), null), "invalid_grant", INVALID_REFRESH);
    }

    /** OpenID Connect Core §11's offline_access, and the original's offline, mean nothing on refresh either. */
    @Test
    void offlineScopesOnRefreshAreIgnored() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid offline_access");
        assertThat(first).containsEntry("scope", "openid");
        Map<String, Object> refreshed = refresh(client, first.get("refresh_token"), "openid offline_access offline");
        assertThat(refreshed).containsEntry("scope", "openid").containsKey("id_token");
    }

    @Test
    void unknownScopeOnRefreshIsInvalidScope() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        assertBadRequest(refreshRequest(client, first.get("refresh_token"), "openid channels:write"),
                "invalid_scope", "the refresh token does not cover: channels:write");
        refresh(client, first.get("refresh_token"));
    }

    @Test
    void anotherClientsRefreshTokenIsInvalidGrant() {
        User user = server.createUser();
        TestClient owner = server.client().create();
        TestClient thief = server.client().create();
        Map<String, Object> first = token.tokens(owner, user, "openid");

        assertBadRequest(refreshRequest(thief, first.get("refresh_token"), null), "invalid_grant", INVALID_REFRESH);

        // The attempt neither used up the token nor ended the grant.
        assertThat(token.userinfo(first.get("access_token")).status()).isEqualTo(200);
        refresh(owner, first.get("refresh_token"));
    }

    @Test
    void expiredRefreshTokenIsInvalidGrant() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        server.clock().advance(Duration.ofDays(31));

        assertBadRequest(refreshRequest(client, first.get("refresh_token"), null), "invalid_grant", INVALID_REFRESH);
    }

    @Test
    void refreshTokenStillWorksJustBeforeThirtyDays() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        server.clock().advance(Duration.ofDays(30).minusMinutes(1));

        Map<String, Object> refreshed = refresh(client, first.get("refresh_token"));
        assertThat(token.userinfo(refreshed.get("access_token")).status()).isEqualTo(200);
        assertThat(token.userinfo(first.get("access_token")).status()).as("the first access token expired after a day").isEqualTo(401);
    }

    @Test
    void refreshReturnsANewIdTokenWhenOpenidWasGranted() throws Exception {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid email");
        JWTClaimsSet original = verifiedIdToken(first);
        server.clock().advance(Duration.ofMinutes(10));

        Map<String, Object> refreshed = refresh(client, first.get("refresh_token"));
        assertThat(refreshed).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token");
        assertThat(refreshed.get("id_token")).isNotEqualTo(first.get("id_token"));
        JWTClaimsSet claims = verifiedIdToken(refreshed);
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getSubject()).isEqualTo(user.id().value());
        assertThat(claims.getAudience()).containsExactly(client.id());
        assertThat(claims.getIssueTime()).isAfter(original.getIssueTime());
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
        // OIDC Core §12.2: auth_time is the original sign-in's; at_hash covers the new access token.
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(original.getLongClaim("auth_time"));
        assertThat(claims.getStringClaim("at_hash")).isEqualTo(atHash((String) refreshed.get("access_token")));
        assertThat(claims.getStringClaim("email")).isEqualTo(user.email());
        assertThat(claims.getClaim("nonce")).isNull();
    }

    @Test
    void noIdTokenWithoutOpenid() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "email");
        assertThat(first).doesNotContainKey("id_token");
        assertThat(refresh(client, first.get("refresh_token"))).doesNotContainKey("id_token").containsKey("refresh_token");
    }

    private Http.Response refreshRequest(TestClient client, Object refreshToken, String scope) {
        Map<String, String> form = Http.form("grant_type", "refresh_token", "refresh_token", (String) refreshToken);
        if (scope != null) form.put("scope", scope);
        return token.post(client, form);
    }

    private Map<String, Object> refresh(TestClient client, Object refreshToken) { return refresh(client, refreshToken, null); }

    private Map<String, Object> refresh(TestClient client, Object refreshToken, String scope) {
        Http.Response response = refreshRequest(client, refreshToken, scope);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        return response.json();
    }

    /** Checks the ID token's RS256 signature against the server's published keys and returns its claims. */
    private static JWTClaimsSet verifiedIdToken(Map<String, Object> response) throws Exception {
        SignedJWT jwt = SignedJWT.parse((String) response.get("id_token"));
        JWKSet keys = JWKSet.parse(Http.client().get(server.url("/oauth2/jwks")).body());
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the signing key is published").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        return jwt.getJWTClaimsSet();
    }

    /** OIDC Core §3.1.3.6, computed independently of the server. */
    private static String atHash(String accessToken) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }
}
