package dev.castgate.introspect;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static dev.castgate.token.TokenRequests.assertInvalidClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The introspection answer as a signed JWT (RFC 9701), checked as an independent resource server
 * checks it: Nimbus's JWT processor with the server's published JWK Set, requiring the
 * {@code token-introspection+jwt} type, the issuer and the caller as audience.
 */
class JwtIntrospectionTest {
    private static final String JWT_TYPE = "application/token-introspection+jwt";

    @CastgateServer static TestServer server;
    static TokenRequests token;
    static TestClient resourceServer;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
        resourceServer = server.client().grants(GrantType.CLIENT_CREDENTIALS).resourceServer().create();
    }

    @Test
    void anActiveTokenIsTheUsualAnswerSignedForTheCaller() throws Exception {
        User user = server.createUser();
        TestClient client = server.client().create();
        String accessToken = (String) token.tokens(client, user, "openid email").get("access_token");
        long now = server.clock().instant().getEpochSecond();
        Http.Response plain = introspect(resourceServer, accessToken);

        Http.Response r = introspect(resourceServer, accessToken, "Accept", JWT_TYPE);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue(JWT_TYPE);
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        JWTClaimsSet claims = verify(r.body(), resourceServer);
        // §5: iss, aud, iat and the plain answer, unchanged; nothing that could pass for an access or ID token's claims.
        assertThat(claims.getClaims().keySet()).containsExactlyInAnyOrder("iss", "aud", "iat", "token_introspection");
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getAudience()).containsExactly(resourceServer.id());
        assertThat(claims.getIssueTime().getTime() / 1000).isEqualTo(now);
        // Read as JSON, as the plain answer is, so numbers compare alike.
        assertThat(JwtClaims.of(r.body()).get("token_introspection")).isEqualTo(plain.json());
        assertThat(claims.getJSONObjectClaim("token_introspection")).containsEntry("active", true).containsEntry("client_id", client.id()).containsEntry("sub", user.id().value());
        SignedJWT jwt = SignedJWT.parse(r.body());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256); // the caller's ID token algorithm, RS256 by default
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("token-introspection+jwt"));
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
    }

    @Test
    void anInactiveTokenIsActiveFalseSigned() throws Exception {
        for (String unknown : new String[] {"0".repeat(40), "eyJ.not.a.jwt"}) {
            Http.Response r = introspect(resourceServer, unknown, "Accept", JWT_TYPE);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).hasValue(JWT_TYPE);
            JWTClaimsSet claims = verify(r.body(), resourceServer);
            assertThat(claims.getJSONObjectClaim("token_introspection")).isEqualTo(Map.of("active", false));
            assertThat(claims.getClaims().keySet()).containsExactlyInAnyOrder("iss", "aud", "iat", "token_introspection");
        }
    }

    @Test
    void theAudienceIsTheIntrospectingClientAndTheAlgorithmItsIdTokenAlgorithm() throws Exception {
        User user = server.createUser();
        TestClient client = server.client().idTokenAlgorithm(SigningAlgorithm.ES256).create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        Http.Response r = introspect(client, (String) tokens.get("refresh_token"), "Accept", JWT_TYPE);

        JWTClaimsSet claims = verify(r.body(), client);
        assertThat(SignedJWT.parse(r.body()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(claims.getAudience()).containsExactly(client.id());
        assertThat(claims.getJSONObjectClaim("token_introspection")).containsEntry("token_type", "refresh_token");
        // Another audience, or another type, is refused by the verifying client.
        assertThatThrownBy(() -> verify(r.body(), resourceServer)).isInstanceOf(BadJOSEException.class);
        DefaultJWTProcessor<SecurityContext> expectingAnIdToken = processor(client);
        expectingAnIdToken.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        assertThatThrownBy(() -> expectingAnIdToken.process(r.body(), null)).isInstanceOf(BadJOSEException.class);
    }

    @Test
    void theAcceptHeaderChoosesByWeight() {
        String accessToken = (String) token.tokens(server.client().create(), server.createUser(), "openid").get("access_token");
        Http.Response plain = introspect(resourceServer, accessToken);
        Map<String, Boolean> asksForJwt = Map.ofEntries(
                Map.entry(JWT_TYPE, true),
                Map.entry("APPLICATION/Token-Introspection+JWT", true),
                Map.entry("application/json;q=0.5, " + JWT_TYPE, true),
                Map.entry(JWT_TYPE + ", application/json", true),
                Map.entry("application/json, " + JWT_TYPE, true),
                Map.entry("text/html, " + JWT_TYPE + ";q=0.9", true),
                Map.entry(JWT_TYPE + "; q=0.8, */*;q=0.1", true),
                Map.entry(JWT_TYPE + ";q=0.5, application/json", false),
                Map.entry(JWT_TYPE + ";q=0", false),
                Map.entry(JWT_TYPE + ";q=0.5, application/*", false),
                Map.entry("application/json", false),
                Map.entry("application/*", false),
                Map.entry("*/*", false),
                Map.entry("text/html", false),
                Map.entry("application/jwt", false));
        for (Map.Entry<String, Boolean> e : asksForJwt.entrySet()) {
            Http.Response r = introspect(resourceServer, accessToken, "Accept", e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(200);
            if (e.getValue()) {
                assertThat(r.header("Content-Type")).as(e.getKey()).hasValue(JWT_TYPE);
            } else {
                // Byte for byte what a caller without an Accept header gets.
                assertThat(r.header("Content-Type")).as(e.getKey()).isEqualTo(plain.header("Content-Type"));
                assertThat(r.body()).as(e.getKey()).isEqualTo(plain.body());
            }
        }
    }

    @Test
    void errorsStayJson() {
        String accessToken = (String) token.tokens(server.client().create(), server.createUser(), "openid").get("access_token");
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken),
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((resourceServer.id() + ":wrong").getBytes()),
                "Accept", JWT_TYPE), "client authentication failed");
        assertBadRequest(Http.client().postForm(server.url("/oauth2/introspect"), Map.of(), "Authorization", resourceServer.basic(),
                "Accept", JWT_TYPE), "invalid_request", "parameter token is missing");
    }

    /** What an independent resource server does with the answer. */
    private static JWTClaimsSet verify(String jwt, TestClient caller) throws Exception {
        return processor(caller).process(jwt, null);
    }

    private static DefaultJWTProcessor<SecurityContext> processor(TestClient caller) throws Exception {
        JWKSet keys = JWKSet.parse(Http.client().get(server.url("/oauth2/jwks")).body());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("token-introspection+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(caller.id(),
                new JWTClaimsSet.Builder().issuer(server.issuer()).build(), Set.of("iat", "token_introspection")));
        return processor;
    }

    private static Http.Response introspect(TestClient caller, String token, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = caller.basic();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", token), all);
    }
}
