package dev.castgate.registration;

import static dev.castgate.registration.Registrations.assertInvalidToken;
import static dev.castgate.registration.Registrations.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.audit.Operator;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.User;
import dev.castgate.testing.AtOnce;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.token.TokenRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /oauth2/register (RFC 7591): initial access tokens, the metadata Castgate honours, and every refusal. */
class RegistrationEndpointTest {
    private static final String NO_TOKEN = "an initial access token is required";
    private static final String BAD_TOKEN = "the initial access token is invalid, expired, used up or revoked";

    @TempDir static Path dir;
    @CastgateServer("CASTGATE_REGISTRATION_MAX_REQUESTS_PER_ADDRESS=100000") static TestServer server;
    @CastgateServer({"CASTGATE_REGISTRATION_OPEN=true", "CASTGATE_REGISTRATION_MAX_REQUESTS_PER_ADDRESS=100000"}) static TestServer open;
    static Registrations registrations;

    @BeforeAll
    static void setUp() {
        registrations = new Registrations(server);
    }

    @Test
    void aTokenFromTheCommandLineRegistersAWebClientThatGetsTokens() {
        Tool.Run created = Tool.forServer(server, dir).run("registration-token", "create", "--uses", "1");
        assertThat(created.exit()).as(created.err()).isZero();
        List<String> lines = created.out().lines().toList();
        String initialToken = lines.get(lines.size() - 1);
        assertThat(initialToken).matches("[0-9a-f]{40}");

        Http.Response r = registrations.register(initialToken, """
                {"client_name": "Stream dashboard", "redirect_uris": ["https://dashboard.example/callback"],
                 "grant_types": ["authorization_code", "refresh_token", "client_credentials"], "scope": "openid broadcaster"}""");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.header("Pragma")).contains("no-cache");
        Map<String, Object> body = r.json();
        String clientId = (String) body.get("client_id");
        assertThat(clientId).matches("[0-9a-f]{40}");
        assertThat((String) body.get("client_secret")).matches("[0-9a-f]{40}");
        assertThat((String) body.get("registration_access_token")).matches("[0-9a-f]{40}");
        long issuedAt = ((Number) body.get("client_id_issued_at")).longValue();
        assertThat(issuedAt).isBetween(server.clock().instant().getEpochSecond() - 5, server.clock().instant().getEpochSecond());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("client_id", clientId);
        expected.put("client_secret", body.get("client_secret"));
        expected.put("client_id_issued_at", body.get("client_id_issued_at"));
        expected.put("client_secret_expires_at", 0);
        expected.put("registration_access_token", body.get("registration_access_token"));
        expected.put("registration_client_uri", server.url("/oauth2/register/" + clientId));
        expected.put("client_name", "Stream dashboard");
        expected.put("redirect_uris", List.of("https://dashboard.example/callback"));
        expected.put("grant_types", List.of("authorization_code", "client_credentials", "refresh_token"));
        expected.put("response_types", List.of("code"));
        expected.put("scope", "broadcaster openid");
        expected.put("token_endpoint_auth_method", "client_secret_basic");
        expected.put("id_token_signed_response_alg", "RS256");
        expected.put("access_token_format", "opaque");
        expected.put("access_token_signing_alg", "ES256");
        expected.put("require_pushed_authorization_requests", false);
        expected.put("email_in_id_token", true);
        expected.put("require_signed_request_object", false);
        expected.put("post_logout_redirect_uris", List.of());
        expected.put("backchannel_logout_session_required", false);
        expected.put("dpop_bound_access_tokens", false);
        assertThat(body).containsExactlyEntriesOf(expected);

        TestClient client = new TestClient(clientId, (String) body.get("client_secret"), null, "Stream dashboard");
        Http.Response token = new TokenRequests(server).post(client, Http.form("grant_type", "client_credentials", "scope", "broadcaster"));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.json()).containsEntry("scope", "broadcaster").containsEntry("token_type", "bearer");

        // The token had one use, and it is spent.
        assertInvalidToken(registrations.register(initialToken, "{\"grant_types\": [\"client_credentials\"]}"), BAD_TOKEN);
    }

    @Test
    void aNativeClientRegistersWithoutASecretAndUsesPkce() {
        Map<String, Object> body = registrations.registered("""
                {"client_name": "TV app", "redirect_uris": ["com.example.tv:/callback"], "token_endpoint_auth_method": "none",
                 "grant_types": ["authorization_code", "refresh_token"], "scope": "openid"}""");
        assertThat(body).doesNotContainKeys("client_secret", "client_secret_expires_at")
                .containsEntry("token_endpoint_auth_method", "none")
                .containsEntry("grant_types", List.of("authorization_code", "refresh_token"));

        User user = server.createUser();
        TestClient app = new TestClient((String) body.get("client_id"), null, "com.example.tv:/callback", "TV app");
        TokenRequests token = new TokenRequests(server);
        String verifier = TokenRequests.newVerifier();
        String code = token.code(app, user, Http.form("scope", "openid", "code_challenge", TokenRequests.s256(verifier),
                "code_challenge_method", "S256"));
        Http.Response tokens = token.post(Http.form("grant_type", "authorization_code", "client_id", app.id(), "code", code,
                "redirect_uri", app.redirectUri(), "code_verifier", verifier));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json()).containsKeys("access_token", "refresh_token", "id_token");
    }

    @Test
    void defaultsAreFilledInAndEchoed() {
        Map<String, Object> body = registrations.registered("{\"redirect_uris\": [\"https://app.example/cb\"]}");
        // RFC 7591 §2: authorization_code alone, response type code, client_secret_basic; the name is the redirect URI's host.
        assertThat(body).containsEntry("client_name", "app.example")
                .containsEntry("grant_types", List.of("authorization_code"))
                .containsEntry("response_types", List.of("code"))
                .containsEntry("scope", "broadcaster email openid profile")
                .containsEntry("token_endpoint_auth_method", "client_secret_basic")
                .containsEntry("id_token_signed_response_alg", "RS256")
                .containsEntry("access_token_format", "opaque")
                .containsEntry("access_token_signing_alg", "ES256")
                .containsEntry("require_pushed_authorization_requests", false);

        Map<String, Object> unnamed = registrations.registered("{\"grant_types\": [\"client_credentials\"]}");
        assertThat(unnamed).containsEntry("client_name", "Unnamed client").containsEntry("redirect_uris", List.of())
                .containsEntry("response_types", List.of());
    }

    @Test
    void castgatesOwnSettingsAreHonoured() {
        Map<String, Object> body = registrations.registered("""
                {"grant_types": ["client_credentials"], "id_token_signed_response_alg": "ES256", "access_token_format": "jwt",
                 "access_token_signing_alg": "RS256", "token_endpoint_auth_method": "client_secret_post", "scope": ""}""");
        assertThat(body).containsEntry("id_token_signed_response_alg", "ES256").containsEntry("access_token_format", "jwt")
                .containsEntry("access_token_signing_alg", "RS256").containsEntry("token_endpoint_auth_method", "client_secret_post")
                .containsEntry("scope", "");
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "client_id", (String) body.get("client_id"), "client_secret", (String) body.get("client_secret")));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        String header = new String(java.util.Base64.getUrlDecoder().decode(((String) token.json().get("access_token")).split("\\.")[0]));
        assertThat(header).contains("\"alg\":\"RS256\"").contains("at+jwt");
    }

    /** RFC 9126 §6: a client may require pushed authorization requests of itself, and reads it back. */
    /** Castgate's own metadata: a client may leave email and email_verified to userinfo, and reads it back. */
    @Test
    void emailInIdTokenRoundTrips() {
        Map<String, Object> body = registrations.registered("{\"redirect_uris\": [\"https://app.example/cb\"], \"email_in_id_token\": false}");
        assertThat(body).containsEntry("email_in_id_token", false);
        assertThat(server.database().stores().clients().find(new dev.castgate.domain.ClientId((String) body.get("client_id"))))
                .hasValueSatisfying(c -> assertThat(c.emailInIdToken()).isFalse());
        Http.Response read = Http.client().get((String) body.get("registration_client_uri"),
                "Authorization", "Bearer " + body.get("registration_access_token"));
        assertThat(read.json()).containsEntry("email_in_id_token", false);
    }

    /** RFC 9101 §10.5 and request_object_signing_alg: a client may require signed request objects of itself, and reads it back. */
    @Test
    void requestObjectSettingsRoundTrip() {
        Map<String, Object> body = registrations.registered("{\"redirect_uris\": [\"https://app.example/cb\"], "
                + "\"require_signed_request_object\": true, \"request_object_signing_alg\": \"PS256\"}");
        assertThat(body).containsEntry("require_signed_request_object", true).containsEntry("request_object_signing_alg", "PS256");
        assertThat(server.database().stores().clients().find(new dev.castgate.domain.ClientId((String) body.get("client_id"))))
                .hasValueSatisfying(c -> assertThat(c.requestObjects())
                        .isEqualTo(new dev.castgate.domain.RequestObjectPolicy(true, java.util.Optional.of("PS256"))));
        Http.Response read = Http.client().get((String) body.get("registration_client_uri"),
                "Authorization", "Bearer " + body.get("registration_access_token"));
        assertThat(read.json()).containsEntry("require_signed_request_object", true).containsEntry("request_object_signing_alg", "PS256");
    }

    /** RFC 9449 §5.2: a client may register that its access tokens are always DPoP-bound. */
    @Test
    void dpopBoundAccessTokensRoundTrips() {
        Map<String, Object> body = registrations.registered("{\"grant_types\": [\"client_credentials\"], \"dpop_bound_access_tokens\": true}");
        assertThat(body).containsEntry("dpop_bound_access_tokens", true);
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", new dev.castgate.testing.TestClient((String) body.get("client_id"), (String) body.get("client_secret"), null, "").basic());
        assertThat(token.json()).containsEntry("error", "invalid_dpop_proof");
    }

    /** RP-Initiated Logout §3.1 and Back-Channel Logout §2.2: a client registers where logout takes it and tells it. */
    @Test
    void logoutMetadataRoundTrips() {
        Map<String, Object> body = registrations.registered("{\"redirect_uris\": [\"https://app.example/cb\"], "
                + "\"post_logout_redirect_uris\": [\"https://app.example/bye\", \"https://app.example/bye\"], "
                + "\"backchannel_logout_uri\": \"https://app.example/logout\", \"backchannel_logout_session_required\": true}");
        assertThat(body).containsEntry("post_logout_redirect_uris", List.of("https://app.example/bye"))
                .containsEntry("backchannel_logout_uri", "https://app.example/logout").containsEntry("backchannel_logout_session_required", true);
        assertThat(server.database().stores().clients().find(new dev.castgate.domain.ClientId((String) body.get("client_id"))))
                .hasValueSatisfying(c -> assertThat(c.logout()).isEqualTo(new dev.castgate.domain.ClientLogout(List.of("https://app.example/bye"),
                        java.util.Optional.of("https://app.example/logout"), true)));
        Http.Response read = Http.client().get((String) body.get("registration_client_uri"),
                "Authorization", "Bearer " + body.get("registration_access_token"));
        assertThat(read.json()).containsEntry("post_logout_redirect_uris", List.of("https://app.example/bye"))
                .containsEntry("backchannel_logout_uri", "https://app.example/logout");
    }

    @Test
    void requirePushedAuthorizationRequestsRoundTrips() {
        Map<String, Object> body = registrations.registered(
                "{\"redirect_uris\": [\"https://app.example/cb\"], \"require_pushed_authorization_requests\": true}");
        assertThat(body).containsEntry("require_pushed_authorization_requests", true);
        assertThat(server.database().stores().clients().find(new dev.castgate.domain.ClientId((String) body.get("client_id"))))
                .hasValueSatisfying(c -> assertThat(c.requirePushedAuthorizationRequests()).isTrue());
        Http.Response read = Http.client().get((String) body.get("registration_client_uri"),
                "Authorization", "Bearer " + body.get("registration_access_token"));
        assertThat(read.json()).containsEntry("require_pushed_authorization_requests", true);
    }

    @Test
    void aClientRegistersForPrivateKeyJwtAndAuthenticatesWithAnAssertion() throws Exception {
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("k1").generate();
        String jwks = new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString();
        Map<?, ?> keys = new com.fasterxml.jackson.databind.ObjectMapper().readValue(jwks, Map.class);
        Map<String, Object> body = registrations.registered("{\"grant_types\": [\"client_credentials\"], "
                + "\"token_endpoint_auth_method\": \"private_key_jwt\", \"token_endpoint_auth_signing_alg\": \"ES256\", \"jwks\": " + jwks + "}");
        // No secret is made for it to use, so none is shown and none can expire.
        assertThat(body).doesNotContainKeys("client_secret", "client_secret_expires_at", "token_endpoint_auth_signing_alg")
                .containsEntry("token_endpoint_auth_method", "private_key_jwt")
                .containsEntry("jwks", keys);
        String clientId = (String) body.get("client_id");
        Http.Response read = Http.client().get((String) body.get("registration_client_uri"),
                "Authorization", "Bearer " + body.get("registration_access_token"));
        assertThat(read.json()).containsEntry("token_endpoint_auth_method", "private_key_jwt").containsEntry("jwks", keys);

        com.nimbusds.jwt.SignedJWT assertion = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256).keyID("k1").build(),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(server.issuer())
                        .expirationTime(java.util.Date.from(server.clock().instant().plusSeconds(60))).jwtID("registered-1").build());
        assertion.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", assertion.serialize()));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
    }

    @Test
    void aClientRegistersForClientSecretJwtAndGetsALongSecret() {
        Map<String, Object> body = registrations.registered("{\"grant_types\": [\"client_credentials\"], "
                + "\"token_endpoint_auth_method\": \"client_secret_jwt\"}");
        assertThat(body).containsEntry("token_endpoint_auth_method", "client_secret_jwt").containsEntry("client_secret_expires_at", 0)
                .doesNotContainKeys("jwks", "jwks_uri");
        assertThat((String) body.get("client_secret")).matches("[0-9a-f]{80}");
    }

    @Test
    void metadataCastgateDoesNotKnowIsIgnoredAndNotEchoed() {
        Map<String, Object> body = registrations.registered("""
                {"grant_types": ["client_credentials"], "logo_uri": "https://app.example/logo.png", "contacts": ["ops@app.example"],
                 "frontchannel_logout_uri": "https://app.example/front", "userinfo_signed_response_alg": "RS256",
                 "client_name#fr": "Appli", "software_id": "x", "extra": {"nested": [1, 2]}}""");
        assertThat(body).doesNotContainKeys("logo_uri", "contacts", "frontchannel_logout_uri", "userinfo_signed_response_alg", "client_name#fr",
                "software_id", "extra");
    }

    @Test
    void redirectUrisThatCannotBeHonouredAreInvalidRedirectUri() {
        String token = registrations.initialToken();
        assertRefused(registrations.register(token, "{\"redirect_uris\": [\"http://app.example/cb\"]}"), "invalid_redirect_uri",
                "redirect URI 'http://app.example/cb' must use https (http only for localhost and loopback addresses)");
        assertRefused(registrations.register(token, "{\"redirect_uris\": [\"https://app.example/cb#x\"]}"), "invalid_redirect_uri",
                "redirect URI 'https://app.example/cb#x' must not have a fragment");
        assertRefused(registrations.register(token, "{\"redirect_uris\": [\"/cb\"]}"), "invalid_redirect_uri",
                "redirect URI '/cb' must be absolute");
        assertRefused(registrations.register(token, "{\"redirect_uris\": \"https://app.example/cb\"}"), "invalid_redirect_uri",
                "redirect_uris must be an array of strings");
        assertRefused(registrations.register(token, "{\"redirect_uris\": [42]}"), "invalid_redirect_uri",
                "redirect_uris must be an array of strings");
        assertRefused(registrations.register(token, "{\"client_name\": \"No URIs\"}"), "invalid_redirect_uri",
                "the authorization_code grant needs at least one redirect URI");
        assertRefused(registrations.register(token, "{\"redirect_uris\": [\"myapp:/cb\"], \"token_endpoint_auth_method\": \"none\"}"),
                "invalid_redirect_uri", "redirect URI 'myapp:/cb' must use https or a private-use scheme such as com.example.app");
    }

    @Test
    void metadataThatCannotBeHonouredIsInvalidClientMetadata() {
        String token = registrations.initialToken();
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("{\"grant_types\": [\"password\"]}", "the password grant is allowed only by an operator");
        refusals.put("{\"grant_types\": [\"implicit\"]}", "the implicit flow is allowed only by an operator");
        refusals.put("{\"grant_types\": [\"urn:ietf:params:oauth:grant-type:jwt-bearer\"]}",
                "unsupported grant type 'urn:ietf:params:oauth:grant-type:jwt-bearer'");
        refusals.put("{\"grant_types\": []}", "grant_types must name at least one grant type");
        refusals.put("{\"grant_types\": \"client_credentials\"}", "grant_types must be an array of strings");
        refusals.put("{\"redirect_uris\": [\"https://a.example/cb\"], \"response_types\": [\"token\"]}",
                "unsupported response type 'token'; only code may be registered");
        refusals.put("{\"redirect_uris\": [\"https://a.example/cb\"], \"response_types\": [\"code id_token\"]}",
                "unsupported response type 'code id_token'; only code may be registered");
        refusals.put("{\"redirect_uris\": [\"https://a.example/cb\"], \"response_types\": []}",
                "the authorization_code grant needs the response type code");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"response_types\": [\"code\"]}",
                "the response type code needs the authorization_code grant");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"scope\": \"openid admin\"}", "admin is not among a client's scopes: an admin client receives it through client_credentials");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"scope\": \"openid \\\"x\"}", "scope holds characters that are not allowed");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"tls_client_auth\"}",
                "unsupported token_endpoint_auth_method 'tls_client_auth'; use client_secret_basic, client_secret_post, private_key_jwt, client_secret_jwt or none");
        // RFC 7591 §2: a private_key_jwt client's keys, by value or by reference, never both; only its own.
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\"}",
                "private_key_jwt needs the client's public keys, in jwks or at jwks_uri");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\", "
                + "\"jwks\": {\"keys\": []}, \"jwks_uri\": \"https://app.example/jwks\"}", "jwks and jwks_uri must not both be given");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"jwks_uri\": \"https://app.example/jwks\"}",
                "jwks and jwks_uri are for token_endpoint_auth_method private_key_jwt");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\", "
                + "\"jwks_uri\": \"http://app.example/jwks\"}", "the jwks_uri must use https (http only for localhost and loopback addresses)");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\", "
                + "\"jwks\": {\"keys\": []}}", "jwks: the key set holds no key");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\", "
                + "\"jwks\": {\"keys\": [{\"kty\": \"oct\", \"k\": \"c2VjcmV0\"}]}}", "jwks: the key set must hold public keys only");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\", "
                + "\"jwks_uri\": \"https://app.example/jwks\", \"token_endpoint_auth_signing_alg\": \"HS256\"}",
                "token_endpoint_auth_signing_alg HS256 is not one private_key_jwt allows");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"none\"}",
                "a native client has no secret, so it cannot use client_credentials");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"id_token_signed_response_alg\": \"none\"}",
                "id_token_signed_response_alg must be RS256 or ES256, not 'none'");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"access_token_format\": \"paseto\"}",
                "access_token_format must be opaque or jwt, not 'paseto'");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"access_token_signing_alg\": \"HS256\"}",
                "access_token_signing_alg must be RS256 or ES256, not 'HS256'");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"client_name\": 7}", "client_name must be a string");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"require_pushed_authorization_requests\": \"yes\"}",
                "require_pushed_authorization_requests must be true or false");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"email_in_id_token\": 0}", "email_in_id_token must be true or false");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"require_signed_request_object\": 1}",
                "require_signed_request_object must be true or false");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"request_object_signing_alg\": \"none\"}",
                "request_object_signing_alg must be one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512, not 'none'");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"post_logout_redirect_uris\": \"https://app.example/bye\"}",
                "post_logout_redirect_uris must be an array of strings");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"post_logout_redirect_uris\": [\"https://app.example/bye#x\"]}",
                "post-logout redirect URI 'https://app.example/bye#x' must not have a fragment");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"backchannel_logout_uri\": \"http://app.example/logout\"}",
                "the backchannel_logout_uri must use https (http only for localhost and loopback addresses)");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"backchannel_logout_session_required\": 1}",
                "backchannel_logout_session_required must be true or false");
        refusals.put("{\"grant_types\": [\"client_credentials\"], \"client_name\": \"   \"}",
                "the name must be 1 to 200 characters, without control characters");
        refusals.forEach((json, description) -> assertRefused(registrations.register(token, json), "invalid_client_metadata", description));
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsInvalidRequest() {
        String token = registrations.initialToken();
        Http http = Http.client();
        String url = server.url("/oauth2/register");
        String bearer = "Bearer " + token;
        assertRefused(http.post(url, "application/x-www-form-urlencoded", "client_name=x", "Authorization", bearer),
                "invalid_request", "the request body must be application/json");
        assertRefused(http.post(url, null, "{}", "Authorization", bearer), "invalid_request", "the request body must be application/json");
        assertRefused(http.post(url, "application/json", "{\"client_name\": ", "Authorization", bearer),
                "invalid_request", "the request body is not valid JSON");
        assertRefused(http.post(url, "application/json", "", "Authorization", bearer), "invalid_request", "the request body must be a JSON object");
        assertRefused(http.post(url, "application/json", "[]", "Authorization", bearer), "invalid_request", "the request body must be a JSON object");
        assertRefused(http.post(url, "application/json", "{\"scope\": \"openid\", \"scope\": \"email\"}", "Authorization", bearer),
                "invalid_request", "the request body is not valid JSON");
        // With a charset, and a null value counting as left out.
        Http.Response ok = http.post(url, "application/json; charset=utf-8", "{\"grant_types\": [\"client_credentials\"], \"scope\": null}",
                "Authorization", bearer);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void withoutAUsableInitialAccessTokenTheAnswerIsInvalidToken() {
        String body = "{\"grant_types\": [\"client_credentials\"]}";
        assertInvalidToken(registrations.register(null, body), NO_TOKEN);
        assertInvalidToken(registrations.register("0".repeat(40), body), BAD_TOKEN);
        assertInvalidToken(Http.client().post(server.url("/oauth2/register"), "application/json", body, "Authorization", "Basic eDp5"),
                "the Authorization header is not a Bearer token");

        String expiring = registrations.initialToken(Duration.ofMinutes(10), Optional.empty());
        assertThat(registrations.register(expiring, body).status()).isEqualTo(201);
        server.clock().advance(Duration.ofMinutes(10));
        assertInvalidToken(registrations.register(expiring, body), BAD_TOKEN);

        RegistrationTokens tokens = new RegistrationTokens(server.database().stores(),
                dev.castgate.crypto.RandomTokens.secure(), server.clock());
        RegistrationTokens.Created created = tokens.create(Duration.ofHours(1), Optional.empty(), Operator.COMMAND_LINE);
        String revoked = created.secret();
        assertThat(tokens.revoke(created.token().id(), Operator.COMMAND_LINE)).isTrue();
        assertInvalidToken(registrations.register(revoked, body), BAD_TOKEN);
    }

    @Test
    void aTokenAllowsItsNumberOfUsesAndARefusedRegistrationUsesNone() {
        String token = registrations.initialToken(Duration.ofHours(1), Optional.of(2));
        assertRefused(registrations.register(token, "{\"grant_types\": [\"password\"]}"), "invalid_client_metadata",
                "the password grant is allowed only by an operator");
        String body = "{\"grant_types\": [\"client_credentials\"]}";
        assertThat(registrations.register(token, body).status()).isEqualTo(201);
        assertThat(registrations.register(token, body).status()).isEqualTo(201);
        assertInvalidToken(registrations.register(token, body), BAD_TOKEN);
    }

    @Test
    void twoRegistrationsRacingForTheLastUseOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String token = registrations.initialToken(Duration.ofHours(1), Optional.of(1));
            List<Integer> statuses = AtOnce.send(2, () -> registrations.register(token, "{\"grant_types\": [\"client_credentials\"]}").status());
            assertThat(statuses).containsExactlyInAnyOrder(201, 401);
        }
    }

    @Test
    void openRegistrationNeedsNoTokenButRefusesABadOne() {
        Registrations openly = new Registrations(open);
        Http.Response r = openly.register(null, "{\"client_name\": \"Open\", \"grant_types\": [\"client_credentials\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json()).containsEntry("client_name", "Open").containsKeys("client_secret", "registration_access_token");
        assertInvalidToken(openly.register("f".repeat(40), "{\"grant_types\": [\"client_credentials\"]}"), BAD_TOKEN);
        assertThat(openly.register(openly.initialToken(), "{\"grant_types\": [\"client_credentials\"]}").status()).isEqualTo(201);
    }

    @Test
    void requestsAreLimitedPerAddress(@CastgateServer({"CASTGATE_REGISTRATION_OPEN=true",
            "CASTGATE_REGISTRATION_MAX_REQUESTS_PER_ADDRESS=3"}) TestServer limited) {
        Registrations few = new Registrations(limited);
        assertThat(few.register(null, "{\"grant_types\": [\"client_credentials\"]}").status()).isEqualTo(201);
        assertThat(few.register("0".repeat(40), "{}").status()).isEqualTo(401);
        assertThat(few.register(null, "not json").status()).isEqualTo(400);
        Http.Response refused = few.register(null, "{\"grant_types\": [\"client_credentials\"]}");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json()).isEqualTo(Map.of("error", "temporarily_unavailable",
                "error_description", "too many registration requests; try again after the time in Retry-After"));
        assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isBetween(1L, 15L * 60);
        assertThat(limited.database().stores().clients().list()).hasSize(1);
        limited.clock().advance(Duration.ofMinutes(15));
        assertThat(few.register(null, "{\"grant_types\": [\"client_credentials\"]}").status()).isEqualTo(201);
    }

    @Test
    void discoveryListsTheEndpoint() {
        Map<String, Object> metadata = Http.client().get(server.url("/.well-known/openid-configuration")).json();
        assertThat(metadata).containsEntry("registration_endpoint", server.url("/oauth2/register"));
        assertThat(Http.client().get(server.url("/.well-known/oauth-authorization-server")).json())
                .containsEntry("registration_endpoint", server.url("/oauth2/register"));
    }

    @Test
    void registrationsAndRefusedTokensAreAudited() {
        Instant since = server.clock().instant().minusSeconds(1);
        Map<String, Object> body = registrations.registered("{\"client_name\": \"Audited\", \"grant_types\": [\"client_credentials\"]}");
        registrations.register("1".repeat(40), "{}");
        List<AuditEvent> events = server.database().stores().audit().list(since, 10_000);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AuditEvent.Type.CLIENT_CREATED);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
            assertThat(e.clientId().orElseThrow().value()).isEqualTo(body.get("client_id"));
            assertThat(e.userId()).isEmpty();
            assertThat(e.address()).contains("127.0.0.1");
            assertThat(e.detail()).contains("web client 'Audited' (self-registration)");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AuditEvent.Type.CLIENT_CREATED);
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
            assertThat(e.address()).contains("127.0.0.1");
            assertThat(e.detail()).contains("self-registration refused: " + BAD_TOKEN);
        });
    }
}
