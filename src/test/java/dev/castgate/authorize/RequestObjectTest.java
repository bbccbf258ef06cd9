package dev.castgate.authorize;

import static dev.castgate.token.TokenRequests.assertBadRequest;
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
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.castgate.admin.ClientRegistrations.Authentication;
import dev.castgate.audit.Operator;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.RequestObjectPolicy;
import dev.castgate.domain.User;
import dev.castgate.resource.Resources;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request objects (RFC 9101, OIDC Core §6) over HTTP, made with an independent JOSE library as a
 * client makes them: by value at the authorization endpoint and through PAR, signed with the
 * client's registered keys (jwks, jwks_uri) or its client_secret_jwt secret; every refusal RFC 9101
 * names; by reference only where the server allows it; and a client that requires them.
 */
class RequestObjectTest {
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String REFUSED = "the request object was refused: ";
    private static final String REQUIRED = "authorization requests must be sent in a signed request object (RFC 9101)";
    private static final String OBJECT_PAGE = "The application sent a signed request that could not be verified.";

    @CastgateServer static TestServer server;
    /** Fetches request objects by reference, and requires every request to be in one. */
    @CastgateServer({"CASTGATE_REQUEST_OBJECTS_BY_REFERENCE=true", "CASTGATE_REQUEST_OBJECTS_REQUIRED=true"}) static TestServer byReference;

    /** Serves request objects and key sets on loopback, as a client's own server would: path to body. */
    static HttpServer clientServer;
    static final Map<String, String> served = new ConcurrentHashMap<>();

    @BeforeAll
    static void startClientServer() throws IOException {
        clientServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        clientServer.createContext("/", exchange -> {
            String body = served.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "not here" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", body == null ? "text/plain" : "application/oauth-authz-req+jwt");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        clientServer.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        clientServer.start();
    }

    @AfterAll
    static void stopClientServer() { clientServer.stop(0); }

    private static String served(String path, String body) {
        served.put(path, body);
        return clientUrl(path);
    }

    private static String clientUrl(String path) { return "http://127.0.0.1:" + clientServer.getAddress().getPort() + path; }

    // By value

    @Test
    void aRequestObjectSignedWithTheRegisteredKeyIsTheRequestThroughSignInAndConsent() throws Exception {
        ECKey key = ecKey("ro-ec");
        TestClient client = keyClient(server, key);
        User user = server.createUser();
        String object = sign(key, claims(server, client, c -> c.claim("state", "st-ec").claim("nonce", "n-ec")));
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(Http.form("client_id", client.id(), "request", object));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        // The forms carry the request the object held, sealed, and not the object.
        assertThat(HtmlForms.hiddenFields(login.body())).containsEntry("state", "st-ec").containsEntry("nonce", "n-ec")
                .containsKey("pushed_request").doesNotContainKey("request");
        Http.Response consent = browser.signIn(login, user.username(), TestServer.PASSWORD);
        Http.Response redirect = browser.decide(consent, "allow");
        Map<String, Object> tokens = exchange(server, client, key, browser.code(redirect, "st-ec"));
        assertThat(tokens).containsEntry("scope", "openid");
        assertThat(SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-ec");
    }

    @Test
    void aRequestObjectSignedWithAKeyFromTheJwksUri() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("ro-rsa").generate();
        String jwksUri = served("/jwks-" + UUID.randomUUID(), new JWKSet(key.toPublicJWK()).toString());
        TestClient client = server.client().authentication(new Authentication(ClientAuthMethod.PRIVATE_KEY_JWT, Optional.empty(),
                Optional.of(jwksUri))).create();
        User user = server.createUser();
        String object = signed(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("ro-rsa").type(new JOSEObjectType("oauth-authz-req+jwt")).build(),
                claims(server, client, c -> c.claim("state", "st-rsa")), new RSASSASigner(key));
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request", object), user.username(), TestServer.PASSWORD);
        assertThat(exchange(server, client, key, browser.code(redirect, "st-rsa"))).containsKey("id_token");
    }

    @Test
    void aClientSecretJwtClientSignsWithAnHmacOfItsSecret() throws Exception {
        TestClient client = server.client().authentication(Authentication.of(ClientAuthMethod.CLIENT_SECRET_JWT)).create();
        User user = server.createUser();
        String object = signed(new JWSHeader(JWSAlgorithm.HS256), claims(server, client, c -> c.claim("state", "st-hs")),
                new MACSigner(client.secret().getBytes(StandardCharsets.UTF_8)));
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request", object), user.username(), TestServer.PASSWORD);
        browser.code(redirect, "st-hs");
    }

    /**
     * RFC 9101 §5, OIDC Core §6.1: where the object and the parameters beside it both name one,
     * the object's counts; one only outside it (here the nonce) is taken as OIDC has it.
     */
    @Test
    void parametersOutsideTheObjectAreIgnoredWhereTheyConflict() throws Exception {
        ECKey key = ecKey("ro-conflict");
        TestClient client = server.client().redirectUris("https://app.example/cb", "https://app.example/other")
                .authentication(keys(key)).create();
        User user = server.createUser();
        String object = sign(key, claims(server, client, c -> c.claim("redirect_uri", "https://app.example/cb").claim("state", "inner")));
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request", object, "response_type", "token",
                "scope", "openid email", "state", "forged", "redirect_uri", "https://app.example/other", "nonce", "outside"),
                user.username(), TestServer.PASSWORD);
        assertThat(redirect.location()).startsWith("https://app.example/cb?");
        Map<String, Object> tokens = exchange(server, client, key, browser.code(redirect, "inner"), "https://app.example/cb");
        assertThat(tokens).containsEntry("scope", "openid");
        assertThat(SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("outside");
    }

    /** RFC 8707 with RFC 9101: resource indicators in an object are a JSON array, and the token is for each of them. */
    @Test
    void resourcesInTheObjectAreAnArray() throws Exception {
        ECKey key = ecKey("ro-resources");
        TestClient client = server.client().accessTokenFormat(AccessTokenFormat.JWT).authentication(keys(key)).create();
        User user = server.createUser();
        String streamingApi = server.issuer() + "/api";
        String other = "https://ro-resource.example/api";
        new Resources(server.database().stores(), RandomTokens.secure(), server.clock(), streamingApi)
                .add(other, "Request object resource", Optional.empty(), Operator.COMMAND_LINE);
        String object = sign(key, claims(server, client, c -> c.claim("state", "st-res").claim("resource", List.of(streamingApi, other))));
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request", object), user.username(), TestServer.PASSWORD);
        Map<String, Object> tokens = exchange(server, client, key, browser.code(redirect, "st-res"));
        assertThat(SignedJWT.parse((String) tokens.get("access_token")).getJWTClaimsSet().getAudience())
                .containsExactly(streamingApi, other);
    }

    // Through PAR

    @Test
    void aPushedRequestMayBeARequestObject() throws Exception {
        ECKey key = ecKey("ro-par");
        TestClient client = keyClient(server, key);
        User user = server.createUser();
        String object = sign(key, claims(server, client, c -> c.claim("state", "st-par")));
        Http.Response pushed = Http.client().postForm(server.url("/oauth2/par"), withAssertion(server, client, key,
                Http.form("client_id", client.id(), "request", object)));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request_uri", (String) pushed.json().get("request_uri")),
                user.username(), TestServer.PASSWORD);
        assertThat(exchange(server, client, key, browser.code(redirect, "st-par"))).containsEntry("scope", "openid");

        String expired = sign(key, claims(server, client, c -> c.expirationTime(at(server, -120))));
        assertBadRequest(Http.client().postForm(server.url("/oauth2/par"), withAssertion(server, client, key,
                Http.form("client_id", client.id(), "request", expired))), "invalid_request_object", REFUSED + "it has expired");
    }

    // Refusals, sent back to the redirect URI the parameters outside name

    @Test
    void anObjectThatIsNotTheClientsIsRefusedAsInvalidRequestObject() throws Exception {
        ECKey key = ecKey("ro-neg");
        TestClient client = keyClient(server, key);
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put(new PlainJWT(claims(server, client, c -> {})).serialize(),
                "it is unsigned (alg none); it must be signed with the client's key");
        // alg none written by hand, with a signature part that is not empty.
        refusals.put(b64("{\"alg\":\"none\"}") + "." + b64(claims(server, client, c -> {}).toString()) + ".c2ln",
                "it is not a JWT");
        refusals.put(sign(ecKey("ro-neg"), claims(server, client, c -> {})), "its signature does not verify with the client's keys");
        refusals.put(signed(new JWSHeader(JWSAlgorithm.HS256), claims(server, client, c -> {}), new MACSigner("k".repeat(32))),
                "its alg HS256 is not one the client's private_key_jwt keys sign with (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)");
        refusals.put(sign(key, claims(server, client, c -> c.audience("https://other.example"))),
                "its aud must be the issuer identifier " + server.issuer());
        refusals.put(sign(key, claims(server, client, c -> c.issuer("0".repeat(40)))), "its iss must be the client_id");
        refusals.put(sign(key, claims(server, client, c -> c.expirationTime(at(server, -61)))), "it has expired");
        refusals.put(sign(key, claims(server, client, c -> c.notBeforeTime(at(server, 120)))), "it is not valid yet (nbf)");
        refusals.put(sign(key, claims(server, client, c -> c.issueTime(at(server, 120)))), "its iat is in the future");
        refusals.put(sign(key, claims(server, client, c -> c.claim("client_id", "0".repeat(40)))),
                "its client_id differs from the client_id parameter");
        refusals.put(sign(key, claims(server, client, c -> c.claim("request_uri", "https://app.example/r"))),
                "it must not hold request or request_uri itself");
        refusals.put("not.a.jwt", "it is not a JWT");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            assertRedirectError(server, get(server, Http.form("client_id", client.id(), "request", refusal.getKey(), "state", "outer",
                    "redirect_uri", client.redirectUri())), client, "invalid_request_object", REFUSED + refusal.getValue(), "outer");
        }
    }

    @Test
    void aClientWithoutKeysOrARegisteredAlgRefusesTheObject() throws Exception {
        TestClient plain = server.client().create();
        ECKey key = ecKey("ro-nokeys");
        assertRedirectError(server, get(server, Http.form("client_id", plain.id(), "request", sign(key, claims(server, plain, c -> {})),
                "state", "st-plain")), plain, "invalid_request_object", REFUSED
                + "the client has no keys registered to verify it: request objects need private_key_jwt keys (jwks or jwks_uri) or client_secret_jwt",
                "st-plain");

        TestClient es384 = server.client().authentication(keys(key)).requestObjects(new RequestObjectPolicy(false, Optional.of("ES384"))).create();
        assertRedirectError(server, get(server, Http.form("client_id", es384.id(), "request", sign(key, claims(server, es384, c -> {})),
                "state", "st-alg")), es384, "invalid_request_object", REFUSED + "its alg ES256 is not the client's request_object_signing_alg ES384",
                "st-alg");
    }

    /** Without a redirect URI outside the object that can be verified, nothing in the object is trusted: a page says so. */
    @Test
    void aBadObjectWithoutAVerifiedRedirectUriOutsideIsAPage() throws Exception {
        ECKey key = ecKey("ro-page");
        TestClient client = server.client().redirectUris("https://app.example/cb", "https://app.example/other").authentication(keys(key)).create();
        String wrongAud = sign(key, claims(server, client, c -> c.audience("https://other.example").claim("redirect_uri", "https://app.example/cb")));
        Http.Response page = get(server, Http.form("client_id", client.id(), "request", wrongAud));
        assertThat(page.status()).as(page.body()).isEqualTo(400);
        assertThat(page.header("Location")).isEmpty();
        assertThat(page.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains(OBJECT_PAGE);
    }

    // By reference

    @Test
    void aRequestUriIsRefusedUnlessTheServerFetchesThem() throws Exception {
        ECKey key = ecKey("ro-ref-off");
        TestClient client = keyClient(server, key);
        String reference = served("/off-" + UUID.randomUUID(), sign(key, claims(server, client, c -> {})));
        assertRedirectError(server, get(server, Http.form("client_id", client.id(), "request_uri", reference, "state", "st-off")), client,
                "request_uri_not_supported",
                "request_uri is supported only for pushed authorization requests (urn:ietf:params:oauth:request_uri:...); send the request object by value",
                "st-off");
        assertRedirectError(server, get(server, Http.form("client_id", client.id(), "request_uri", reference, "request", "a.b.c",
                "state", "st-both")), client, "invalid_request", "request and request_uri must not both be sent", "st-both");
    }

    @Test
    void aServerThatAllowsItFetchesTheObjectFromTheRequestUri() throws Exception {
        ECKey key = ecKey("ro-ref");
        TestClient client = keyClient(byReference, key);
        User user = byReference.createUser();
        String reference = served("/request-" + UUID.randomUUID(), sign(key, claims(byReference, client, c -> c.claim("state", "st-ref"))));
        BrowserFlow browser = new BrowserFlow(byReference);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request_uri", reference + "#hash-of-it"),
                user.username(), TestServer.PASSWORD);
        assertThat(exchange(byReference, client, key, browser.code(redirect, "st-ref"))).containsEntry("scope", "openid");

        assertRedirectError(byReference, get(byReference, Http.form("client_id", client.id(), "request_uri", clientUrl("/missing"),
                "state", "st-missing")), client, "invalid_request_uri", "the request object could not be fetched from the request_uri: it answered HTTP 404",
                "st-missing");
        assertRedirectError(byReference, get(byReference, Http.form("client_id", client.id(), "request_uri", "ftp://app.example/r.jwt",
                "state", "st-ftp")), client, "invalid_request_uri",
                "the request_uri must use https (http only for localhost and loopback addresses)", "st-ftp");
        assertThat(Http.client().get(byReference.url("/.well-known/openid-configuration")).json())
                .containsEntry("request_uri_parameter_supported", true);
    }

    /** RFC 9101 §10.5: request_objects.required refuses every other request, at /authorize and at PAR, and discovery says so. */
    @Test
    void aServerThatRequiresSignedRequestObjectsRefusesOthers() throws Exception {
        ECKey key = ecKey("ro-server");
        TestClient client = keyClient(byReference, key);
        assertRedirectError(byReference, get(byReference, Http.form("client_id", client.id(), "response_type", "code",
                "redirect_uri", client.redirectUri(), "state", "st-plain")), client, "invalid_request", REQUIRED, "st-plain");
        assertBadRequest(Http.client().postForm(byReference.url("/oauth2/par"), withAssertion(byReference, client, key,
                Http.form("client_id", client.id(), "response_type", "code", "redirect_uri", client.redirectUri()))), "invalid_request", REQUIRED);
        Http.Response pushed = Http.client().postForm(byReference.url("/oauth2/par"), withAssertion(byReference, client, key,
                Http.form("client_id", client.id(), "request", sign(key, claims(byReference, client, c -> {})))));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(201);
        for (String path : new String[] {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"}) {
            assertThat(Http.client().get(byReference.url(path)).json()).containsEntry("require_signed_request_object", true);
        }
    }

    // A client that requires them

    @Test
    void aClientThatRequiresSignedRequestObjectsHasNoOtherRequestAccepted() throws Exception {
        ECKey key = ecKey("ro-required");
        TestClient client = server.client().authentication(keys(key)).requestObjects(new RequestObjectPolicy(true, Optional.empty())).create();
        String required = REQUIRED;
        assertRedirectError(server, get(server, Http.form("client_id", client.id(), "response_type", "code", "redirect_uri", client.redirectUri(),
                "scope", "openid", "state", "st-none")), client, "invalid_request", required, "st-none");
        assertBadRequest(Http.client().postForm(server.url("/oauth2/par"), withAssertion(server, client, key,
                Http.form("client_id", client.id(), "response_type", "code", "redirect_uri", client.redirectUri()))), "invalid_request", required);

        // Signed, it goes through sign-in and consent, the forms carrying it sealed; the parameters
        // outside are not used at all, not even one the object lacks.
        User user = server.createUser();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "request",
                sign(key, claims(server, client, c -> c.claim("state", "st-signed"))), "nonce", "outside"), user.username(), TestServer.PASSWORD);
        Map<String, Object> tokens = exchange(server, client, key, browser.code(redirect, "st-signed"));
        assertThat(SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet().getClaims()).doesNotContainKey("nonce");

        // The sealed forms, changed, are a request without an object again.
        BrowserFlow another = new BrowserFlow(server);
        Http.Response login = another.open(Http.form("client_id", client.id(), "request",
                sign(key, claims(server, client, c -> c.claim("state", "st-seal")))));
        Http.Response changed = another.submit(login, Http.form("username", user.username(), "password", TestServer.PASSWORD,
                "scope", "openid email"));
        assertThat(changed.status()).as(changed.body()).isIn(302, 303);
        assertThat(changed.locationParams()).containsEntry("error", "invalid_request").containsEntry("error_description", required);
    }

    // Helpers

    private static ECKey ecKey(String kid) throws Exception { return new ECKeyGenerator(Curve.P_256).keyID(kid).generate(); }

    private static Authentication keys(ECKey key) {
        return new Authentication(ClientAuthMethod.PRIVATE_KEY_JWT, Optional.of(new JWKSet(key.toPublicJWK()).toString()), Optional.empty());
    }

    private static TestClient keyClient(TestServer on, ECKey key) { return on.client().authentication(keys(key)).create(); }

    private static Date at(TestServer on, long secondsFromNow) { return Date.from(on.clock().instant().plusSeconds(secondsFromNow)); }

    /** A complete OpenID request for {@code client}, to its registered redirect URI, changed as {@code change} says. */
    private static JWTClaimsSet claims(TestServer on, TestClient client, Consumer<JWTClaimsSet.Builder> change) {
        Instant now = on.clock().instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(client.id()).audience(on.issuer()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
                .claim("client_id", client.id()).claim("response_type", "code").claim("redirect_uri", client.redirectUri())
                .claim("scope", "openid");
        change.accept(claims);
        return claims.build();
    }

    private static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
        return signed(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims, new ECDSASigner(key));
    }

    private static String signed(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code form} with a private_key_jwt assertion of {@code client}'s (RFC 7523). */
    private static Map<String, String> withAssertion(TestServer on, TestClient client, com.nimbusds.jose.jwk.JWK key, Map<String, String> form)
            throws Exception {
        Instant now = on.clock().instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(client.id()).subject(client.id()).audience(on.issuer())
                .expirationTime(Date.from(now.plusSeconds(120))).jwtID(UUID.randomUUID().toString()).build();
        String assertion = key instanceof ECKey ec ? sign(ec, claims)
                : signed(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims, new RSASSASigner((RSAKey) key));
        Map<String, String> with = new LinkedHashMap<>(form);
        with.put("client_assertion_type", JWT_BEARER);
        with.put("client_assertion", assertion);
        return with;
    }

    private static Map<String, Object> exchange(TestServer on, TestClient client, com.nimbusds.jose.jwk.JWK key, String code) throws Exception {
        return exchange(on, client, key, code, client.redirectUri());
    }

    private static Map<String, Object> exchange(TestServer on, TestClient client, com.nimbusds.jose.jwk.JWK key, String code, String redirectUri)
            throws Exception {
        Http.Response token = Http.client().postForm(on.url("/oauth2/token"), withAssertion(on, client, key,
                Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri)));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.json();
    }

    private static Http.Response get(TestServer on, Map<String, String> params) {
        return Http.client().get(Urls.withQuery(on.url("/authorize"), params));
    }

    private static void assertRedirectError(TestServer on, Http.Response response, TestClient client, String error, String description,
                                            String state) {
        assertThat(response.status()).as(response.body()).isEqualTo(302);
        assertThat(response.location()).startsWith(client.redirectUri() + "?");
        assertThat(response.locationParams()).isEqualTo(Map.of("error", error, "error_description", description, "state", state,
                "iss", on.issuer()));
        assertThat(response.header("Cache-Control")).hasValue("no-store");
    }
}
