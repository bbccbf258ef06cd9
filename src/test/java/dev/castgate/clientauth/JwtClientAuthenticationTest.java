package dev.castgate.clientauth;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static dev.castgate.token.TokenRequests.assertInvalidClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.castgate.admin.ClientRegistrations.Authentication;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.testing.AtOnce;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JWT client authentication (RFC 7523 §2.2, §3; RFC 7521 §4.2) over HTTP: assertions made with an
 * independent JOSE library, as a client would, at the token, revocation and introspection endpoints.
 */
class JwtClientAuthenticationTest {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String KEY_ALGS = "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512";

    @CastgateServer static TestServer server;

    /** A key server on loopback: /jwks serves {@link #served}; the others fail as a client's server might. */
    static HttpServer keyServer;
    static final AtomicReference<String> served = new AtomicReference<>();
    static final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void startKeyServer() throws IOException {
        keyServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keyServer.createContext("/jwks", exchange -> answer(exchange, 200, served.get()));
        keyServer.createContext("/large", exchange -> answer(exchange, 200, "{\"keys\":[]," + "\"x\":\"" + "a".repeat(70 * 1024) + "\"}"));
        keyServer.createContext("/missing", exchange -> answer(exchange, 404, "{}"));
        keyServer.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", keyUrl("/jwks"));
            answer(exchange, 302, "");
        });
        keyServer.createContext("/slow", exchange -> {
            try {
                release.await(); // answers only when the tests are over: the server must give up first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, served.get());
        });
        keyServer.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        keyServer.start();
    }

    @AfterAll
    static void stopKeyServer() {
        release.countDown();
        keyServer.stop(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String keyUrl(String path) { return "http://127.0.0.1:" + keyServer.getAddress().getPort() + path; }

    // Success

    @Test
    void privateKeyJwtWithRegisteredEcKeys() throws Exception {
        ECKey key = ecKey("ec-1");
        TestClient client = keyClient(key);
        assertIssued(token(assertion(client, key, claims -> {})));
    }

    @Test
    void privateKeyJwtWithAnRsaKeyWithoutKidAndTheClientIdParameter() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        TestClient client = keyClient(key);
        String assertion = sign(new JWSHeader.Builder(JWSAlgorithm.PS256).type(JOSEObjectType.JWT).build(), claims(client, c -> {}), new RSASSASigner(key));
        assertIssued(post("/oauth2/token", Http.form("grant_type", "client_credentials", "client_id", client.id(),
                "client_assertion_type", JWT_BEARER, "client_assertion", assertion)));
    }

    @Test
    void privateKeyJwtWithJwksUriFollowsARotation() throws Exception {
        ECKey first = ecKey("rotating-1");
        ECKey second = ecKey("rotating-2");
        served.set(new JWKSet(first.toPublicJWK()).toString());
        TestClient client = server.client().authentication(new Authentication(ClientAuthMethod.PRIVATE_KEY_JWT, Optional.empty(),
                Optional.of(keyUrl("/jwks")))).create();
        assertIssued(token(assertion(client, first, c -> {})));

        served.set(new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())).toString());
        // Fetched again at once would let every unknown kid make a request: the cached set stands for 10 s.
        assertInvalidClient(token(assertion(client, second, c -> {})),
                "the client assertion was refused: no key of the client has kid rotating-2 for alg ES256");
        server.clock().advance(Duration.ofSeconds(11));
        assertIssued(token(assertion(client, second, c -> {})));
        assertIssued(token(assertion(client, first, c -> {})));
    }

    @Test
    void clientSecretJwt() throws Exception {
        TestClient client = server.client().authentication(Authentication.of(ClientAuthMethod.CLIENT_SECRET_JWT)).create();
        assertThat(client.secret()).matches("[0-9a-f]{80}");
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512)) {
            String assertion = sign(new JWSHeader(alg), claims(client, c -> {}), new MACSigner(client.secret().getBytes(StandardCharsets.UTF_8)));
            assertIssued(token(assertion));
        }
        // Kept only sealed with the key of keys at rest, among the values `keys reencrypt` moves to a new key.
        assertThat(server.database().stores().sealedValues().all())
                .filteredOn(v -> v.place() == dev.castgate.store.SealedValueStore.Place.CLIENT_SECRET && v.name().equals(client.id()))
                .singleElement().satisfies(v -> assertThat(v.stored()).startsWith("v1:").doesNotContain(client.secret()));
    }

    @Test
    void pushedAuthorizationRequestsTakeAssertions() throws Exception {
        ECKey key = ecKey("ec-par");
        TestClient client = keyClient(key);
        Http.Response pushed = post("/oauth2/par", Http.form("response_type", "code", "redirect_uri", client.redirectUri(), "scope", "openid",
                "client_assertion_type", JWT_BEARER, "client_assertion", assertion(client, key, c -> {})));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        assertThat(pushed.json()).containsKeys("request_uri", "expires_in");
        assertInvalidClient(post("/oauth2/par", Http.form("response_type", "code", "redirect_uri", client.redirectUri(), "scope", "openid",
                "client_assertion_type", JWT_BEARER, "client_assertion", assertion(client, key, c -> c.audience(server.issuer() + "/oauth2/par")))),
                "the client assertion was refused: its aud must be the issuer identifier " + server.issuer() + ", alone");
    }

    @Test
    void revocationAndIntrospectionTakeAssertions() throws Exception {
        ECKey key = ecKey("ec-r");
        TestClient client = keyClient(key);
        String accessToken = (String) token(assertion(client, key, c -> {})).json().get("access_token");

        Http.Response introspection = post("/oauth2/introspect", Http.form("token", accessToken,
                "client_assertion_type", JWT_BEARER, "client_assertion", assertion(client, key, c -> {})));
        assertThat(introspection.status()).isEqualTo(200);
        assertThat(introspection.json()).containsEntry("active", true).containsEntry("client_id", client.id());

        Http.Response revocation = post("/oauth2/token/revoke", Http.form("token", accessToken,
                "client_assertion_type", JWT_BEARER, "client_assertion", assertion(client, key, c -> {})));
        assertThat(revocation.status()).isEqualTo(200);
        assertThat(post("/oauth2/introspect", Http.form("token", accessToken, "client_assertion_type", JWT_BEARER,
                "client_assertion", assertion(client, key, c -> {}))).json()).isEqualTo(Map.of("active", false));

        // The same refusals hold at each endpoint.
        String replayed = assertion(client, key, c -> {});
        assertThat(post("/oauth2/introspect", Http.form("token", accessToken, "client_assertion_type", JWT_BEARER, "client_assertion", replayed)).status())
                .isEqualTo(200);
        assertInvalidClient(post("/oauth2/token/revoke", Http.form("token", accessToken, "client_assertion_type", JWT_BEARER,
                "client_assertion", replayed)), "the client assertion was refused: its jti was already used: an assertion is good for one request");
        assertInvalidClient(post("/oauth2/introspect", Http.form("token", accessToken, "client_assertion_type", JWT_BEARER,
                "client_assertion", assertion(client, key, c -> c.audience(server.issuer() + "/oauth2/introspect")))),
                "the client assertion was refused: its aud must be the issuer identifier " + server.issuer() + ", alone");
    }

    // Refusals of the claims (RFC 7523 §3)

    @Test
    void audienceMustBeTheIssuerAlone() throws Exception {
        ECKey key = ecKey("ec-aud");
        TestClient client = keyClient(key);
        String refused = "the client assertion was refused: its aud must be the issuer identifier " + server.issuer() + ", alone";
        assertInvalidClient(token(assertion(client, key, c -> c.audience(server.issuer() + "/oauth2/token"))), refused);
        assertInvalidClient(token(assertion(client, key, c -> c.audience(List.of(server.issuer(), "https://elsewhere.example")))), refused);
        assertInvalidClient(token(assertion(client, key, c -> c.audience((String) null))), refused);
        assertIssued(token(assertion(client, key, c -> c.audience(List.of(server.issuer())))));
    }

    @Test
    void expiryIsRequiredAndBounded() throws Exception {
        ECKey key = ecKey("ec-exp");
        TestClient client = keyClient(key);
        Instant now = server.clock().instant();
        assertInvalidClient(token(assertion(client, key, c -> c.expirationTime(null))), "the client assertion was refused: it must have exp");
        assertInvalidClient(token(assertion(client, key, c -> c.expirationTime(Date.from(now.minusSeconds(61))))),
                "the client assertion was refused: it has expired");
        assertInvalidClient(token(assertion(client, key, c -> c.expirationTime(Date.from(now.plus(Duration.ofMinutes(12)))))),
                "the client assertion was refused: its exp is more than 10 minutes away");
        // Within the 60 s leeway for clocks apart.
        assertIssued(token(assertion(client, key, c -> c.expirationTime(Date.from(now.minusSeconds(30))))));
    }

    @Test
    void issuedAtAndNotBeforeInTheFutureAreRefused() throws Exception {
        ECKey key = ecKey("ec-iat");
        TestClient client = keyClient(key);
        Instant later = server.clock().instant().plusSeconds(120);
        assertInvalidClient(token(assertion(client, key, c -> c.issueTime(Date.from(later)))),
                "the client assertion was refused: its iat is in the future");
        assertInvalidClient(token(assertion(client, key, c -> c.notBeforeTime(Date.from(later)))),
                "the client assertion was refused: it is not valid yet (nbf)");
    }

    @Test
    void jtiIsRequiredAndUsedOnce() throws Exception {
        ECKey key = ecKey("ec-jti");
        TestClient client = keyClient(key);
        assertInvalidClient(token(assertion(client, key, c -> c.jwtID(null))), "the client assertion was refused: it must have a jti");
        String once = assertion(client, key, c -> {});
        assertIssued(token(once));
        assertInvalidClient(token(once), "the client assertion was refused: its jti was already used: an assertion is good for one request");

        // Replays sent together: the database lets exactly one in.
        String together = assertion(client, key, c -> {});
        List<Integer> statuses = AtOnce.send(6, () -> token(together).status());
        assertThat(statuses).containsOnly(200, 401).filteredOn(s -> s == 200).hasSize(1);

        // Remembered until the assertion could no longer be used, then swept.
        server.clock().advance(Duration.ofMinutes(12));
        assertThat(server.sweep().assertionIds()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void issuerAndSubjectMustBothBeTheClient() throws Exception {
        ECKey key = ecKey("ec-iss");
        TestClient client = keyClient(key);
        TestClient other = keyClient(key);
        assertInvalidClient(token(assertion(client, key, c -> c.subject(other.id()))),
                "the client assertion was refused: its iss and sub must both be the client_id");
        assertInvalidClient(token(assertion(client, key, c -> c.issuer(null))),
                "the client assertion was refused: it must have iss and sub, both the client_id");
        assertInvalidClient(post("/oauth2/token", Http.form("grant_type", "client_credentials", "client_id", other.id(),
                "client_assertion_type", JWT_BEARER, "client_assertion", assertion(client, key, c -> {}))),
                "the client assertion was refused: its iss and sub differ from the client_id parameter");
        assertInvalidClient(token(assertion(client, key, c -> c.issuer("0".repeat(40)).subject("0".repeat(40)))), "client authentication failed");
    }

    // Refusals of the signature

    @Test
    void unsignedAndConfusedAlgorithmsAreRefused() throws Exception {
        ECKey key = ecKey("ec-alg");
        TestClient client = keyClient(key);
        assertInvalidClient(token(new PlainJWT(claims(client, c -> {})).serialize()), "the client assertion was refused: it is unsigned (alg none)");
        // An HMAC keyed with the client's public key, which anyone can read.
        String confused = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("ec-alg").build(), claims(client, c -> {}),
                new MACSigner(key.toPublicJWK().toECPublicKey().getEncoded()));
        assertInvalidClient(token(confused), "the client assertion was refused: its alg HS256 is not one a private_key_jwt client may use (" + KEY_ALGS + ")");
        assertInvalidClient(token("not.a.jwt"), "the client assertion was refused: it is not a JWT");

        TestClient secretClient = server.client().authentication(Authentication.of(ClientAuthMethod.CLIENT_SECRET_JWT)).create();
        assertInvalidClient(token(assertion(secretClient, key, c -> {})),
                "the client assertion was refused: its alg ES256 is not one a client_secret_jwt client may use (HS256, HS384, HS512)");
        String wrongSecret = sign(new JWSHeader(JWSAlgorithm.HS256), claims(secretClient, c -> {}), new MACSigner("f".repeat(80).getBytes(StandardCharsets.UTF_8)));
        assertInvalidClient(token(wrongSecret), "the client assertion was refused: its signature does not verify with the client's secret");
    }

    @Test
    void aKeyOfAnotherIsRefused() throws Exception {
        ECKey key = ecKey("ec-own");
        ECKey stranger = ecKey("ec-own"); // the same kid, another key
        TestClient client = keyClient(key);
        assertInvalidClient(token(assertion(client, stranger, c -> {})),
                "the client assertion was refused: its signature does not verify with the client's keys");
        ECKey unknown = ecKey("ec-unknown");
        assertInvalidClient(token(assertion(client, unknown, c -> {})), "the client assertion was refused: no key of the client has kid ec-unknown for alg ES256");
    }

    // Refusals of the method

    @Test
    void eachClientUsesItsOwnMethod() throws Exception {
        ECKey key = ecKey("ec-method");
        TestClient jwtClient = keyClient(key);
        TestClient secretJwtClient = server.client().authentication(Authentication.of(ClientAuthMethod.CLIENT_SECRET_JWT)).create();
        TestClient basicClient = server.client().create();
        // A JWT client's secret, even the right one, is not how it authenticates.
        assertInvalidClient(post("/oauth2/token", Http.form("grant_type", "client_credentials"), "Authorization", secretJwtClient.basic()),
                "the client is registered for client_secret_jwt: it authenticates with a client assertion");
        assertInvalidClient(post("/oauth2/token", Http.form("grant_type", "client_credentials", "client_id", jwtClient.id(), "client_secret", "0".repeat(40))),
                "client authentication failed");
        assertInvalidClient(token(assertion(basicClient, key, c -> {})),
                "the client is registered for client_secret_basic, not for JWT client authentication");
        assertInvalidClient(post("/oauth2/token", Http.form("grant_type", "client_credentials", "client_assertion_type", "urn:example:saml",
                "client_assertion", assertion(jwtClient, key, c -> {}))), "client_assertion_type must be " + JWT_BEARER);
        assertBadRequest(post("/oauth2/token", Http.form("grant_type", "client_credentials", "client_assertion_type", JWT_BEARER,
                "client_assertion", assertion(jwtClient, key, c -> {})), "Authorization", basicClient.basic()),
                "invalid_request", "the client authenticated in more than one way");
        assertBadRequest(post("/oauth2/token", Http.form("grant_type", "client_credentials", "client_assertion_type", JWT_BEARER)),
                "invalid_request", "client_assertion is missing");
    }

    // Refusals of the jwks_uri

    @Test
    void aJwksUriThatFailsIsTheClientsError() throws Exception {
        ECKey key = ecKey("ec-uri");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Map<String, String> cases = Map.of(
                "http://127.0.0.1:" + closed + "/jwks", "it could not be reached",
                keyUrl("/missing"), "it answered HTTP 404",
                keyUrl("/moved"), "it answered HTTP 302",
                keyUrl("/large"), "its answer is larger than 64 KiB",
                keyUrl("/slow"), "it did not answer within 3 s");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            TestClient client = server.client().authentication(new Authentication(ClientAuthMethod.PRIVATE_KEY_JWT, Optional.empty(),
                    Optional.of(c.getKey()))).create();
            assertInvalidClient(token(assertion(client, key, claims -> {})),
                    "the client's key set could not be fetched from its jwks_uri: " + c.getValue());
        }
        served.set(new JWKSet(key).toString(false)); // a private key where public keys belong
        TestClient leaky = server.client().authentication(new Authentication(ClientAuthMethod.PRIVATE_KEY_JWT, Optional.empty(),
                Optional.of(keyUrl("/jwks?leaky")))).create();
        assertInvalidClient(token(assertion(leaky, key, claims -> {})),
                "the client's key set could not be fetched from its jwks_uri: the key set must hold public keys only (kid ec-uri)");
    }

    // Helpers

    private static ECKey ecKey(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }

    private static TestClient keyClient(JWK key) {
        return server.client().authentication(new Authentication(ClientAuthMethod.PRIVATE_KEY_JWT,
                Optional.of(new JWKSet(key.toPublicJWK()).toString()), Optional.empty())).create();
    }

    /** The claims RFC 7523 §3 asks for, as the server's clock sees now, changed by {@code change}. */
    private static JWTClaimsSet claims(TestClient client, Consumer<JWTClaimsSet.Builder> change) {
        Instant now = server.clock().instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(client.id()).subject(client.id()).audience(server.issuer())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120))).jwtID(UUID.randomUUID().toString());
        change.accept(builder);
        return builder.build();
    }

    private static String assertion(TestClient client, JWK key, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
        JWSAlgorithm alg = key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
        return sign(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims(client, change), signer);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static Http.Response token(String assertion) {
        return post("/oauth2/token", Http.form("grant_type", "client_credentials", "client_assertion_type", JWT_BEARER, "client_assertion", assertion));
    }

    private static Http.Response post(String path, Map<String, String> form, String... headers) {
        return Http.client().postForm(server.url(path), form, headers);
    }

    private static void assertIssued(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).containsKeys("access_token", "token_type", "expires_in");
    }
}
