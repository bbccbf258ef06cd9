package dev.castgate.token;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.SignatureException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JWT access tokens (RFC 9068), checked as a resource server checks them: with the independent
 * jjwt library against the published JWKS. They belong to a grant like opaque ones, so revocation,
 * introspection and userinfo treat them alike.
 */
class JwtAccessTokenTest {
    private static final String JWT_SHAPE = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";

    @CastgateServer static TestServer server;
    static TokenRequests token;
    static TestClient resourceServer;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
        resourceServer = server.client().resourceServer().create();
    }

    @Test
    void tokenTypeJwtGetsAVerifiableAtJwtWithEveryClaim() {
        User user = server.createUser();
        TestClient client = server.client().create();
        long signedInAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = exchange(client, user, "openid email", Map.of("token_type", "jwt"));
        long issuedAt = server.clock().instant().getEpochSecond();

        assertThat(tokens).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token")
                .containsEntry("token_type", "bearer").containsEntry("expires_in", 86400).containsEntry("scope", "email openid");
        assertThat((String) tokens.get("refresh_token")).matches("[0-9a-f]{40}");
        String accessToken = (String) tokens.get("access_token");
        assertThat(accessToken).matches(JWT_SHAPE);

        Jws<Claims> jws = verify(accessToken);
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("ES256");
        assertThat(jws.getHeader().getType()).isEqualTo("at+jwt");
        assertThat(jws.getHeader().getKeyId()).isNotBlank();
        Claims claims = jws.getPayload();
        assertThat(claims.keySet()).containsExactlyInAnyOrder("iss", "exp", "aud", "sub", "client_id", "iat", "jti", "scope", "auth_time",
                "acr", "amr");
        // RFC 9068 §2.2.1: how the person signed in, as in the ID token.
        assertThat(claims.get("acr", String.class)).isEqualTo("1");
        assertThat(claims.get("amr", java.util.List.class)).containsExactly("pwd");
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getAudience()).containsExactly(server.issuer());
        assertThat(claims.getSubject()).isEqualTo(user.id().value());
        assertThat(claims.get("client_id", String.class)).isEqualTo(client.id());
        assertThat(claims.getIssuedAt().toInstant().getEpochSecond()).isEqualTo(issuedAt);
        assertThat(claims.getExpiration().toInstant().getEpochSecond()).isEqualTo(issuedAt + 86400);
        assertThat(claims.getId()).matches("[0-9a-f]{40}");
        assertThat(claims.get("scope", String.class)).isEqualTo("email openid");
        assertThat(claims.get("auth_time", Long.class)).isEqualTo(signedInAt);

        // The ID token's at_hash covers the JWT as it covers an opaque token.
        assertThat(verify((String) tokens.get("id_token")).getPayload().get("at_hash", String.class)).isEqualTo(atHash(accessToken));
    }

    @Test
    void aClientRegisteredForRs256GetsRs256AccessTokens() {
        User user = server.createUser();
        TestClient client = server.client().accessTokenFormat(AccessTokenFormat.JWT)
                .accessTokenAlgorithm(dev.castgate.domain.SigningAlgorithm.RS256).create();
        Map<String, Object> tokens = exchange(client, user, "openid", Map.of());
        String accessToken = (String) tokens.get("access_token");

        Jws<Claims> jws = verify(accessToken);
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("RS256");
        assertThat(jws.getHeader().getType()).isEqualTo("at+jwt");
        assertThat(jws.getPayload().getSubject()).isEqualTo(user.id().value());
        assertThat(token.userinfo(accessToken).status()).isEqualTo(200);
    }

    @Test
    void userinfoAndIntrospectionAcceptItUntilItIsRevoked() {
        User user = server.createUser();
        TestClient client = server.client().create();
        long issuedAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = exchange(client, user, "openid email", Map.of("token_type", "jwt"));
        String accessToken = (String) tokens.get("access_token");

        Http.Response userinfo = token.userinfo(accessToken);
        assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
        assertThat(userinfo.json()).isEqualTo(Map.of("sub", user.id().value(), "email", user.email(), "email_verified", true));
        assertThat(introspect(accessToken).json()).isEqualTo(Map.of("active", true, "scope", "email openid", "client_id", client.id(),
                "username", user.username(), "sub", user.id().value(), "exp", (int) (issuedAt + 86400), "iat", (int) issuedAt, "token_type", "bearer"));

        Http.Response revoked = Http.client().postForm(server.url("/oauth2/token/revoke"), Http.form("token", accessToken),
                "Authorization", client.basic());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body()).isEmpty();

        Http.Response refused = token.userinfo(accessToken);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json()).isEqualTo(Map.of("error", "invalid_token", "error_description", "the access token is invalid, expired or revoked"));
        assertThat(introspect(accessToken).json()).isEqualTo(Map.of("active", false));
        // Its signature still verifies: only the server's record says it is over, as with any revoked JWT.
        assertThat(verify(accessToken).getPayload().getSubject()).isEqualTo(user.id().value());
    }

    @Test
    void revokingTheRefreshTokenEndsTheJwtToo() {
        User user = server.createUser();
        TestClient client = server.client().accessTokenFormat(AccessTokenFormat.JWT).create();
        Map<String, Object> tokens = exchange(client, user, "openid", Map.of());
        assertThat((String) tokens.get("access_token")).matches(JWT_SHAPE);

        Http.Response revoked = Http.client().postForm(server.url("/oauth2/token/revoke"), Http.form("token", (String) tokens.get("refresh_token")),
                "Authorization", client.basic());
        assertThat(revoked.status()).isEqualTo(200);

        assertThat(introspect(tokens.get("access_token")).json()).isEqualTo(Map.of("active", false));
        assertThat(token.userinfo(tokens.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void theClientsSettingGivesJwtsOnEveryGrant() {
        User owner = server.createUser();
        TestClient client = server.client().accessTokenFormat(AccessTokenFormat.JWT).owner(owner).create();
        Map<String, Object> first = exchange(client, owner, "openid", Map.of());
        assertThat((String) first.get("access_token")).matches(JWT_SHAPE);

        Http.Response refreshed = token.post(client, Http.form("grant_type", "refresh_token", "refresh_token", (String) first.get("refresh_token")));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        Claims refreshedClaims = verify((String) refreshed.json().get("access_token")).getPayload();
        assertThat(refreshedClaims.getSubject()).isEqualTo(owner.id().value());
        assertThat(refreshedClaims.get("auth_time", Long.class)).isEqualTo(verify((String) first.get("access_token")).getPayload().get("auth_time", Long.class));
        assertThat((String) refreshed.json().get("refresh_token")).matches("[0-9a-f]{40}");

        // Client credentials: the owner is the subject, and no one signed in, so there is no auth_time.
        Http.Response cc = token.post(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster"));
        assertThat(cc.status()).as(cc.body()).isEqualTo(200);
        Claims ccClaims = verify((String) cc.json().get("access_token")).getPayload();
        assertThat(ccClaims.keySet()).containsExactlyInAnyOrder("iss", "exp", "aud", "sub", "client_id", "iat", "jti", "scope");
        assertThat(ccClaims.getSubject()).isEqualTo(owner.id().value());
        assertThat(ccClaims.get("scope", String.class)).isEqualTo("broadcaster");

        // The original's clients send token_type=bearer; it leaves the client's setting in force.
        Http.Response bearer = token.post(client, Http.form("grant_type", "client_credentials", "token_type", "bearer"));
        assertThat((String) bearer.json().get("access_token")).matches(JWT_SHAPE);
    }

    @Test
    void aClientCredentialsJwtWithoutAnOwnerNamesTheClient() {
        TestClient client = server.client().create();
        Http.Response cc = token.post(client, Http.form("grant_type", "client_credentials", "token_type", "jwt"));
        assertThat(cc.status()).as(cc.body()).isEqualTo(200);
        Claims claims = verify((String) cc.json().get("access_token")).getPayload();
        assertThat(claims.getSubject()).isEqualTo(client.id());
        assertThat(claims.get("client_id", String.class)).isEqualTo(client.id());
        assertThat(claims).doesNotContainKeys("scope", "auth_time");
    }

    @Test
    void opaqueStaysTheDefault() {
        User user = server.createUser();
        TestClient client = server.client().create();
        assertThat((String) exchange(client, user, "openid", Map.of()).get("access_token")).matches("[0-9a-f]{40}");
        assertThat((String) exchange(client, user, "openid", Map.of("token_type", "bearer")).get("access_token")).matches("[0-9a-f]{40}");
        Http.Response cc = token.post(client, Http.form("grant_type", "client_credentials"));
        assertThat((String) cc.json().get("access_token")).matches("[0-9a-f]{40}");
    }

    @Test
    void anUnknownTokenTypeIsInvalidRequest() {
        TestClient client = server.client().create();
        for (String type : List.of("mac", "JWT", "opaque")) {
            assertBadRequest(token.post(client, Http.form("grant_type", "client_credentials", "token_type", type)),
                    "invalid_request", "token_type must be bearer or jwt");
        }
    }

    @Test
    void everyJwtHasItsOwnJti() {
        TestClient client = server.client().create();
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            Http.Response cc = token.post(client, Http.form("grant_type", "client_credentials", "token_type", "jwt"));
            ids.add(verify((String) cc.json().get("access_token")).getPayload().getId());
        }
        assertThat(ids).hasSize(3);
    }

    @Test
    void aTamperedJwtIsRejectedEverywhere() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String accessToken = (String) exchange(client, user, "openid", Map.of("token_type", "jwt")).get("access_token");
        String[] parts = accessToken.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(user.id().value(), "0".repeat(user.id().value().length()));
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThatThrownBy(() -> verify(tampered)).isInstanceOf(SignatureException.class);
        assertThat(token.userinfo(tampered).status()).isEqualTo(401);
        assertThat(introspect(tampered).json()).isEqualTo(Map.of("active", false));
    }

    private static Map<String, Object> exchange(TestClient client, User user, String scope, Map<String, String> extra) {
        Map<String, String> form = Http.form("grant_type", "authorization_code", "code", token.code(client, user, scope),
                "redirect_uri", client.redirectUri());
        form.putAll(extra);
        Http.Response r = token.post(client, form);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Http.Response introspect(Object accessToken) {
        return Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", (String) accessToken),
                "Authorization", resourceServer.basic());
    }

    /** Verifies as a resource server: the key by kid from the JWKS, its alg matching the header's, at the server's time. */
    private static Jws<Claims> verify(String jwt) {
        JwkSet set = Jwks.setParser().build().parse(Http.client().get(server.url("/oauth2/jwks")).body());
        LocatorAdapter<Key> byKid = new LocatorAdapter<>() {
            @Override
            protected Key locate(JwsHeader header) {
                Jwk<?> jwk = set.getKeys().stream().filter(k -> k.getId().equals(header.getKeyId())).findFirst()
                        .orElseThrow(() -> new JwtException("no key " + header.getKeyId() + " in the JWKS"));
                if (!jwk.getAlgorithm().equals(header.getAlgorithm())) {
                    throw new JwtException("key " + jwk.getId() + " is for " + jwk.getAlgorithm() + ", not " + header.getAlgorithm());
                }
                return jwk.toKey();
            }
        };
        Date now = Date.from(server.clock().instant());
        return Jwts.parser().keyLocator(byKid).clock(() -> now).requireIssuer(server.issuer()).build().parseSignedClaims(jwt);
    }

    private static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(digest, 0, 16));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
