package dev.castgate.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.SignatureException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ID tokens (OIDC Core §2, §3.1.3.6, §3.1.3.7, §12.2) checked as a relying party checks them: with
 * an independent JOSE library (jjwt), against the keys published at the JWKS endpoint.
 */
class IdTokenTest {
    @CastgateServer static TestServer server;
    static User user;

    @BeforeAll
    static void setUp() {
        user = server.createUser();
    }

    @Test
    void idTokenVerifiesAgainstTheJwksWithEveryRequiredClaim() {
        TestClient client = server.client().create();
        long signedInAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = tokens(client, "openid", "n-0S6_WzA2Mj");
        long issuedAt = server.clock().instant().getEpochSecond();

        Jws<Claims> jws = verify((String) tokens.get("id_token"));
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("RS256");
        assertThat(jws.getHeader().getKeyId()).isNotBlank();
        Claims claims = jws.getPayload();
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getSubject()).isEqualTo(user.id().value());
        assertThat(claims.getAudience()).containsExactly(client.id());
        assertThat(claims.getIssuedAt().toInstant().getEpochSecond()).isEqualTo(issuedAt);
        assertThat(claims.getExpiration()).isAfter(claims.getIssuedAt());
        assertThat(claims.getExpiration().toInstant()).isBeforeOrEqualTo(claims.getIssuedAt().toInstant().plus(Duration.ofDays(1)));
        assertThat(claims.get("auth_time", Long.class)).isEqualTo(signedInAt);
        assertThat(claims.get("nonce", String.class)).isEqualTo("n-0S6_WzA2Mj");
        assertThat(claims.get("at_hash", String.class)).isEqualTo(atHash((String) tokens.get("access_token")));
        // OIDC Core §2: how the person signed in (RFC 8176 method values) and the class it meets.
        assertThat(claims.get("amr", java.util.List.class)).containsExactly("pwd");
        assertThat(claims.get("acr", String.class)).isEqualTo("1");
        assertThat(claims).doesNotContainKeys("email", "email_verified");
    }

    @Test
    void withoutANonceThereIsNoNonceClaim() {
        TestClient client = server.client().create();
        Claims claims = verify((String) tokens(client, "openid", null).get("id_token")).getPayload();
        assertThat(claims).doesNotContainKey("nonce");
    }

    @Test
    void nonceRoundTripsUnchanged() {
        TestClient client = server.client().create();
        String nonce = "n~" + "a".repeat(400) + "-._~!$&'()*+,;=:@/?é";
        Claims claims = verify((String) tokens(client, "openid", nonce).get("id_token")).getPayload();
        assertThat(claims.get("nonce", String.class)).isEqualTo(nonce);
    }

    @Test
    void longestNonceTheEndpointAcceptsRoundTripsAndALongerOneIsRefusedUpFront() {
        TestClient client = server.client().create();
        String nonce = "N".repeat(500);
        Claims claims = verify((String) tokens(client, "openid", nonce).get("id_token")).getPayload();
        assertThat(claims.get("nonce", String.class)).isEqualTo(nonce);

        // One more is refused before anyone signs in, not with a failure after.
        Http.Response refused = new BrowserFlow(server).open(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid", "state", "long", "nonce", nonce + "N"));
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.locationParams()).containsEntry("error", "invalid_request").containsEntry("state", "long")
                .containsEntry("iss", server.issuer());
    }

    @Test
    void emailClaimsComeWithTheEmailScopeOnly() {
        TestClient client = server.client().create();
        Claims withEmail = verify((String) tokens(client, "openid email", "e1").get("id_token")).getPayload();
        assertThat(withEmail.get("email", String.class)).isEqualTo(user.email());
        assertThat(withEmail.get("email_verified", Boolean.class)).isTrue();

        Claims without = verify((String) tokens(client, "openid profile", "e2").get("id_token")).getPayload();
        assertThat(without).doesNotContainKeys("email", "email_verified");
    }

    @Test
    void noIdTokenWithoutOpenid() {
        TestClient client = server.client().create();
        assertThat(tokens(client, "email", null)).doesNotContainKey("id_token");
    }

    @Test
    void es256ClientGetsAnEs256IdTokenThatVerifies() {
        TestClient client = server.client().idTokenAlgorithm(SigningAlgorithm.ES256).create();
        Map<String, Object> tokens = tokens(client, "openid email", "es-nonce");
        String idToken = (String) tokens.get("id_token");

        Jws<Claims> jws = verify(idToken);
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("ES256");
        // RFC 7518 §3.4: the signature is R || S, 64 bytes, not DER.
        assertThat(Base64.getUrlDecoder().decode(idToken.split("\\.")[2])).hasSize(64);
        Claims claims = jws.getPayload();
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getSubject()).isEqualTo(user.id().value());
        assertThat(claims.getAudience()).containsExactly(client.id());
        assertThat(claims.get("nonce", String.class)).isEqualTo("es-nonce");
        assertThat(claims.get("at_hash", String.class)).isEqualTo(atHash((String) tokens.get("access_token")));
        assertThat(claims.get("email", String.class)).isEqualTo(user.email());

        // The two algorithms sign with different keys.
        String rsKid = verify((String) tokens(server.client().create(), "openid", null).get("id_token")).getHeader().getKeyId();
        assertThat(jws.getHeader().getKeyId()).isNotEqualTo(rsKid);
    }

    @Test
    void tamperedPayloadFailsVerification() {
        String idToken = (String) tokens(server.client().create(), "openid", "t1").get("id_token");
        String[] parts = idToken.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = payload.replace(user.id().value(), "0".repeat(40));
        assertThat(forged).isNotEqualTo(payload);
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertThatThrownBy(() -> verify(tampered)).isInstanceOf(SignatureException.class);
    }

    @Test
    void tamperedSignatureFailsVerification() {
        for (SigningAlgorithm alg : SigningAlgorithm.values()) {
            String idToken = (String) tokens(server.client().idTokenAlgorithm(alg).create(), "openid", "t2").get("id_token");
            String[] parts = idToken.split("\\.");
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            signature[signature.length / 2] ^= 0x01;
            String tampered = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
            assertThatThrownBy(() -> verify(tampered)).as(alg.name()).isInstanceOf(SignatureException.class);
        }
    }

    @Test
    void tokenSignedByAnotherKeyUnderTheServersKidFails() {
        String idToken = (String) tokens(server.client().create(), "openid", "t3").get("id_token");
        Jws<Claims> genuine = verify(idToken);
        KeyPair attacker = Jwts.SIG.RS256.keyPair().build();
        String forged = Jwts.builder().header().keyId(genuine.getHeader().getKeyId()).and()
                .claims(genuine.getPayload()).signWith(attacker.getPrivate(), Jwts.SIG.RS256).compact();
        assertThatThrownBy(() -> verify(forged)).isInstanceOf(SignatureException.class);
    }

    @Test
    void unsignedTokenIsRejected() {
        String idToken = (String) tokens(server.client().create(), "openid", "t4").get("id_token");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String unsigned = none + "." + idToken.split("\\.")[1] + ".";
        assertThatThrownBy(() -> verify(unsigned)).isInstanceOf(JwtException.class);
    }

    @Test
    void idTokenExpires() {
        String idToken = (String) tokens(server.client().create(), "openid", "t5").get("id_token");
        Instant exp = verify(idToken).getPayload().getExpiration().toInstant();
        assertThatThrownBy(() -> parser(Date.from(exp.plusSeconds(1))).parseSignedClaims(idToken))
                .isInstanceOf(ExpiredJwtException.class);
    }

    @Test
    void refreshedIdTokenKeepsTheSignInAndDropsTheNonce() {
        // OIDC Core §12.2
        TestClient client = server.client().create();
        long signedInAt = server.clock().instant().getEpochSecond();
        Map<String, Object> first = tokens(client, "openid", "first-nonce");
        Claims original = verify((String) first.get("id_token")).getPayload();

        server.clock().advance(Duration.ofMinutes(10));
        Http.Response refreshed = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "refresh_token", "refresh_token", (String) first.get("refresh_token")),
                "Authorization", client.basic());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        Map<String, Object> second = refreshed.json();
        Claims renewed = verify((String) second.get("id_token")).getPayload();

        assertThat(renewed.getIssuer()).isEqualTo(original.getIssuer());
        assertThat(renewed.getSubject()).isEqualTo(original.getSubject());
        assertThat(renewed.getAudience()).isEqualTo(original.getAudience());
        assertThat(renewed.get("auth_time", Long.class)).isEqualTo(signedInAt);
        assertThat(renewed.get("amr", java.util.List.class)).containsExactly("pwd");
        assertThat(renewed.get("acr", String.class)).isEqualTo("1");
        assertThat(renewed.getIssuedAt()).isAfter(original.getIssuedAt());
        assertThat(renewed).doesNotContainKey("nonce");
        assertThat(renewed.get("at_hash", String.class)).isEqualTo(atHash((String) second.get("access_token")));
    }

    @Test
    void everyJwksKeyIsUsableByAnIndependentLibrary() {
        JwkSet set = jwks();
        assertThat(set.getKeys()).extracting(Jwk::getAlgorithm).contains("RS256", "ES256");
        for (Jwk<?> jwk : set.getKeys()) {
            assertThat(jwk.toKey()).as(jwk.getId()).isInstanceOf(PublicKey.class);
        }
    }

    // ---- helpers ----

    /** The token response for a fresh sign-in and consent with {@code scope}. */
    private static Map<String, Object> tokens(TestClient client, String scope, String nonce) {
        BrowserFlow browser = new BrowserFlow(server);
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", scope, "state", "it");
        if (nonce != null) params.put("nonce", nonce);
        String code = browser.code(browser.authorize(params, user.username(), TestServer.PASSWORD), "it");
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri()),
                "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.json();
    }

    private static JwkSet jwks() {
        Http.Response r = Http.client().get(server.url("/oauth2/jwks"));
        assertThat(r.status()).isEqualTo(200);
        return Jwks.setParser().build().parse(r.body());
    }

    /** Verifies as a relying party: the key by kid from the JWKS, its alg matching the header's, at the server's time. */
    private static Jws<Claims> verify(String idToken) {
        return parser(Date.from(server.clock().instant())).parseSignedClaims(idToken);
    }

    private static io.jsonwebtoken.JwtParser parser(Date now) {
        JwkSet set = jwks();
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
        return Jwts.parser().keyLocator(byKid).clock(() -> now)
                .requireIssuer(server.issuer()).build();
    }

    /** OIDC Core §3.1.3.6: base64url of the left-most half of SHA-256 of the access token's ASCII. */
    private static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
