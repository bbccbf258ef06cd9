package dev.castgate.introspect;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static dev.castgate.token.TokenRequests.assertInvalidClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token introspection (RFC 7662) at /oauth2/introspect, as a resource server uses it: a client
 * learns about its own tokens, a client registered as a resource server about every client's
 * access tokens, and nobody about another client's refresh token (§4); and the same answers
 * signed, for a caller that asks for them (RFC 9701).
 */
class IntrospectionTest {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);
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
    void anActiveAccessTokenIsDescribed() {
        User user = server.createUser();
        TestClient client = server.client().create();
        long issuedAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = token.tokens(client, user, "openid email");

        Http.Response r = introspect(resourceServer, Http.form("token", (String) tokens.get("access_token")));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        assertThat(r.json()).isEqualTo(active("email openid", client.id(), user, issuedAt, issuedAt + 86400, "bearer"));
    }

    @Test
    void theClientItselfMayIntrospectToo() {
        User user = server.createUser();
        TestClient client = server.client().create();
        long issuedAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        assertThat(introspect(client, Http.form("token", (String) tokens.get("access_token"))).json())
                .isEqualTo(active("openid", client.id(), user, issuedAt, issuedAt + 86400, "bearer"));
    }

    @Test
    void aRefreshTokenIsDescribedAsOne() {
        User user = server.createUser();
        TestClient client = server.client().create();
        long issuedAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = token.tokens(client, user, "openid profile");

        assertThat(introspect(client, Http.form("token", (String) tokens.get("refresh_token"))).json())
                .isEqualTo(active("openid profile", client.id(), user, issuedAt, issuedAt + Duration.ofDays(30).toSeconds(), "refresh_token"));
    }

    @Test
    void theClientsOwnAccessTokenLifetimeShows() {
        User user = server.createUser();
        TestClient client = server.client().accessTokenTtl(Duration.ofHours(1)).create();
        long issuedAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = token.tokens(client, user, "email");

        assertThat(introspect(resourceServer, Http.form("token", (String) tokens.get("access_token"))).json())
                .isEqualTo(active("email", client.id(), user, issuedAt, issuedAt + 3600, "bearer"));
    }

    @Test
    void aClientCredentialsTokenActsForTheOwnerOrTheClient() {
        User owner = server.createUser();
        TestClient owned = server.client().owner(owner).create();
        TestClient unowned = server.client().create();
        long issuedAt = server.clock().instant().getEpochSecond();

        String ownedToken = (String) token.post(owned, Http.form("grant_type", "client_credentials", "scope", "broadcaster")).json().get("access_token");
        assertThat(introspect(resourceServer, Http.form("token", ownedToken)).json())
                .isEqualTo(active("broadcaster", owned.id(), owner, issuedAt, issuedAt + 86400, "bearer"));

        String unownedToken = (String) token.post(unowned, Http.form("grant_type", "client_credentials", "scope", "broadcaster")).json().get("access_token");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("active", true);
        expected.put("scope", "broadcaster");
        expected.put("client_id", unowned.id());
        expected.put("sub", unowned.id());
        expected.put("exp", issuedAt + 86400);
        expected.put("iat", issuedAt);
        expected.put("token_type", "bearer");
        assertThat(introspect(resourceServer, Http.form("token", unownedToken)).json()).isEqualTo(asJson(expected));
    }

    @Test
    void aTokenWithNoScopeHasNoScopeMember() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, null);
        assertThat(introspect(resourceServer, Http.form("token", (String) tokens.get("access_token"))).json())
                .containsEntry("active", true).doesNotContainKey("scope");
    }

    @Test
    void unknownExpiredRevokedAndUsedTokensAreJustInactive() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> revoked = token.tokens(client, user, "openid");
        Map<String, Object> rotated = token.tokens(client, user, "openid");
        Map<String, Object> expiring = token.tokens(client, user, "openid");

        Http.Response revocation = Http.client().postForm(server.url("/oauth2/token/revoke"),
                Http.form("token", (String) revoked.get("refresh_token")), "Authorization", client.basic());
        assertThat(revocation.status()).isEqualTo(200);
        assertThat(token.post(client, Http.form("grant_type", "refresh_token", "refresh_token", (String) rotated.get("refresh_token"))).status())
                .isEqualTo(200);

        assertInactive(introspect(resourceServer, Http.form("token", "0".repeat(40))));
        assertInactive(introspect(resourceServer, Http.form("token", "eyJ.not.a.jwt")));
        assertInactive(introspect(resourceServer, Http.form("token", (String) revoked.get("access_token"))));
        assertInactive(introspect(client, Http.form("token", (String) revoked.get("refresh_token"))));
        assertInactive(introspect(client, Http.form("token", (String) rotated.get("refresh_token"))));

        server.clock().advance(Duration.ofDays(1));
        assertInactive(introspect(resourceServer, Http.form("token", (String) expiring.get("access_token"))));
        assertThat(introspect(client, Http.form("token", (String) expiring.get("refresh_token"))).json())
                .containsEntry("active", true);
        server.clock().advance(Duration.ofDays(30));
        assertInactive(introspect(client, Http.form("token", (String) expiring.get("refresh_token"))));
    }

    @Test
    void hintsOnlySayWhereToLookFirst() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> tokens = token.tokens(client, user, "openid");

        for (String hint : new String[] {"access_token", "refresh_token", "id_token", "whatever"}) {
            assertThat(introspect(resourceServer, Http.form("token", (String) tokens.get("access_token"), "token_type_hint", hint)).json())
                    .as(hint).containsEntry("active", true).containsEntry("token_type", "bearer");
            assertThat(introspect(client, Http.form("token", (String) tokens.get("refresh_token"), "token_type_hint", hint)).json())
                    .as(hint).containsEntry("active", true).containsEntry("token_type", "refresh_token");
        }
    }

    @Test
    void everyConfidentialAuthenticationMethodWorks() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String accessToken = (String) token.tokens(client, user, "openid").get("access_token");

        assertThat(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken, "client_id", resourceServer.id()),
                "Authorization", resourceServer.rawBasic()).json()).containsEntry("active", true);
        assertThat(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken,
                "client_id", resourceServer.id(), "client_secret", resourceServer.secret())).json()).containsEntry("active", true);
    }

    @Test
    void publicClientsCannotIntrospect() {
        User user = server.createUser();
        TestClient client = server.client().create();
        TestClient app = server.client().nativeApp().redirectUris("http://127.0.0.1/cb").create();
        String accessToken = (String) token.tokens(client, user, "openid").get("access_token");

        assertInvalidClient(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken, "client_id", app.id())),
                "the introspection endpoint needs client authentication with a client secret");
    }

    @Test
    void unauthenticatedCallersLearnNothing() {
        User user = server.createUser();
        TestClient client = server.client().create();
        String accessToken = (String) token.tokens(client, user, "openid").get("access_token");

        assertInvalidClient(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken)),
                "no client authentication was sent");
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken),
                "Authorization", new TestClient(resourceServer.id(), "a".repeat(40), null, null).basic()), "client authentication failed");
        assertInvalidClient(Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken),
                "Authorization", "Bearer " + accessToken), "unsupported Authorization scheme for client authentication");
    }

    @Test
    void badRequestsAreInvalidRequest() {
        assertBadRequest(introspect(resourceServer, Map.of()), "invalid_request", "parameter token is missing");
        assertBadRequest(Http.client().post(server.url("/oauth2/introspect"), "application/x-www-form-urlencoded", "token=a&token=b",
                "Authorization", resourceServer.basic()), "invalid_request", "parameter token is repeated");
        Http.Response get = Http.client().get(server.url("/oauth2/introspect"), "Authorization", resourceServer.basic());
        assertThat(get.status()).isEqualTo(405);
    }

    // ---- whose tokens a client may learn about (§4)

    @Test
    void anOrdinaryClientLearnsNothingAboutAnotherClientsTokens() {
        User user = server.createUser();
        TestClient client = server.client().create();
        TestClient other = server.client().create();
        long issuedAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = token.tokens(client, user, "openid email");
        String accessToken = (String) tokens.get("access_token");
        String refreshToken = (String) tokens.get("refresh_token");

        // Exactly the answer for a token that does not exist, whatever the hint.
        for (String hint : new String[] {null, "access_token", "refresh_token"}) {
            assertInactive(introspect(other, withHint(accessToken, hint)));
            assertInactive(introspect(other, withHint(refreshToken, hint)));
            assertInactive(introspect(other, withHint("0".repeat(40), hint)));
        }
        // Both stay live for their own client.
        assertThat(introspect(client, Http.form("token", accessToken)).json())
                .isEqualTo(active("email openid", client.id(), user, issuedAt, issuedAt + 86400, "bearer"));
        assertThat(introspect(client, Http.form("token", refreshToken)).json())
                .isEqualTo(active("email openid", client.id(), user, issuedAt, issuedAt + Duration.ofDays(30).toSeconds(), "refresh_token"));
    }

    @Test
    void aResourceServerLearnsAboutOtherClientsAccessTokensButNeverTheirRefreshTokens() {
        User user = server.createUser();
        TestClient client = server.client().create();
        long issuedAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = token.tokens(client, user, "openid");
        String refreshToken = (String) tokens.get("refresh_token");

        assertThat(introspect(resourceServer, Http.form("token", (String) tokens.get("access_token"))).json())
                .isEqualTo(active("openid", client.id(), user, issuedAt, issuedAt + 86400, "bearer"));
        for (String hint : new String[] {null, "access_token", "refresh_token"}) {
            assertInactive(introspect(resourceServer, withHint(refreshToken, hint)));
        }
        assertThat(introspect(client, Http.form("token", refreshToken)).json())
                .isEqualTo(active("openid", client.id(), user, issuedAt, issuedAt + Duration.ofDays(30).toSeconds(), "refresh_token"));
    }

    @Test
    void aResourceServersOwnRefreshTokenIsItsOwnBusiness() {
        User user = server.createUser();
        TestClient both = server.client().resourceServer().create();
        long issuedAt = server.clock().instant().getEpochSecond();
        Map<String, Object> tokens = token.tokens(both, user, "openid");

        assertThat(introspect(both, Http.form("token", (String) tokens.get("refresh_token"))).json())
                .isEqualTo(active("openid", both.id(), user, issuedAt, issuedAt + Duration.ofDays(30).toSeconds(), "refresh_token"));
        assertInactive(introspect(resourceServer, Http.form("token", (String) tokens.get("refresh_token"))));
    }

    private static Map<String, String> withHint(String token, String hint) {
        return hint == null ? Http.form("token", token) : Http.form("token", token, "token_type_hint", hint);
    }

    private static Map<String, Object> active(String scope, String clientId, User user, long iat, long exp, String tokenType) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("active", true);
        expected.put("scope", scope);
        expected.put("client_id", clientId);
        expected.put("username", user.username());
        expected.put("sub", user.id().value());
        expected.put("exp", exp);
        expected.put("iat", iat);
        expected.put("token_type", tokenType);
        return asJson(expected);
    }

    /** The expected body as JSON would carry it, so numbers compare as the parsed response's do. */
    private static Map<String, Object> asJson(Map<String, Object> expected) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            return mapper.readValue(mapper.writeValueAsString(expected), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertInactive(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        assertThat(r.body()).isEqualTo("{\"active\":false}");
        assertThat(r.json()).isEqualTo(INACTIVE);
    }

    private static Http.Response introspect(TestClient caller, Map<String, String> form) {
        return Http.client().postForm(server.url("/oauth2/introspect"), form, "Authorization", caller.basic());
    }

    // ---- signed answers (RFC 9701), checked as an independent resource server checks them: Nimbus's
    // JWT processor with the server's published JWK Set, requiring the token-introspection+jwt
    // type, the issuer and the caller as audience

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

    /** What an independent resource server does with a signed answer. */
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
