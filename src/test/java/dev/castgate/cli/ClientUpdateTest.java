package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import dev.castgate.api.ApiCalls;
import dev.castgate.clientauth.ClientLookup;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.User;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.token.TokenRequests;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The legacy flags and the resource-server flag of {@code client add} and {@code client update
 * CLIENT_ID}: what the tool prints, that the server honours each flag on and refuses it off, and
 * the audit trail. Each client here is first used by the server after its last change, or the
 * test moves the server's clock past its 5-second client cache, so it never holds an older version.
 */
class ClientUpdateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Tool tool;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
        token = new TokenRequests(server);
    }

    private static Map<String, Object> json(Tool.Run run) {
        assertThat(run.exit()).as(run.err()).isZero();
        try {
            return JSON.readValue(run.out(), new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            throw new AssertionError(run.out(), e);
        }
    }

    private static Map<String, Object> add(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("client", "add", "--name", "Legacy app", "--type", "web",
                "--redirect-uri", "http://localhost:8000/", "--json"));
        args.addAll(List.of(extra));
        return json(tool.run(args.toArray(String[]::new)));
    }

    @Test
    void addTakesEveryLegacyFlag() {
        Map<String, Object> client = add("--allow-implicit", "--allow-password", "--allow-pkce-plain", "--prefix-redirect-match",
                "--legacy-api-writes", "--resource-server");
        assertThat((List<Object>) client.get("grant_types")).containsExactly("authorization_code", "client_credentials", "password", "refresh_token");
        assertThat(client).containsEntry("allow_implicit", true).containsEntry("allow_pkce_plain", true)
                .containsEntry("prefix_redirect_match", true).containsEntry("legacy_api_writes", true).containsEntry("resource_server", true);

        Map<String, Object> plain = add();
        assertThat((List<Object>) plain.get("grant_types")).doesNotContain("password");
        assertThat(plain).containsEntry("allow_implicit", false).containsEntry("allow_pkce_plain", false)
                .containsEntry("prefix_redirect_match", false).containsEntry("legacy_api_writes", false).containsEntry("resource_server", false);
    }

    @Test
    void updateTurnsThePasswordGrantOnAndOff() {
        User user = server.createUser();
        Map<String, Object> client = add();
        String id = (String) client.get("client_id");
        String secret = (String) client.get("client_secret");

        Map<String, Object> on = json(tool.run("client", "update", id, "--allow-password", "--json"));
        assertThat((List<Object>) on.get("grant_types")).contains("password");
        Map<String, String> request = Http.form("grant_type", "password", "client_id", id, "username", user.username(),
                "password", TestServer.PASSWORD);
        Http.Response issued = token.post(request, "Authorization", "Basic " + secret);
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);

        assertThat(updates(id)).containsExactly("changed grant_types");

        // Off again (with a fresh client, since the server now caches this one for a few seconds).
        Map<String, Object> other = add("--allow-password");
        String otherId = (String) other.get("client_id");
        Map<String, Object> off = json(tool.run("client", "update", otherId, "--no-allow-password", "--json"));
        assertThat((List<Object>) off.get("grant_types")).doesNotContain("password");
        request.put("client_id", otherId);
        Http.Response refused = token.post(request, "Authorization", "Basic " + other.get("client_secret"));
        TokenRequests.assertBadRequest(refused, "unauthorized_client", "the client is not allowed to use the password grant");
    }

    @Test
    void updateTurnsTheImplicitFlowOn() {
        User user = server.createUser();
        String id = (String) add().get("client_id");
        Map<String, Object> updated = json(tool.run("client", "update", id, "--allow-implicit", "--allow-pkce-plain",
                "--prefix-redirect-match", "--name", "Renamed app", "--access-token-ttl", "1h", "--scopes", "broadcaster openid",
                "--json"));
        assertThat(updated).containsEntry("name", "Renamed app").containsEntry("allow_implicit", true)
                .containsEntry("access_token_ttl", 3600).containsEntry("scope", "broadcaster openid");
        Http.Response redirect = new BrowserFlow(server).authorize(Http.form("client_id", id,
                "redirect_uri", "http://localhost:8000/callback", "response_type", "token", "scope", "broadcaster", "state", "s"),
                user.username(), TestServer.PASSWORD);
        assertThat(redirect.locationParams()).containsEntry("expires_in", "3600").containsKey("access_token");
    }

    @Test
    void updateTurnsTheImplicitFlowOff() {
        String id = (String) add("--allow-implicit").get("client_id");
        json(tool.run("client", "update", id, "--no-allow-implicit", "--json"));
        Http.Response refused = Http.browser().get(server.url("/authorize") + "?" + Http.encode(Http.form("client_id", id,
                "redirect_uri", "http://localhost:8000/", "response_type", "token", "state", "s")));
        assertThat(refused.locationParams()).containsEntry("error", "unauthorized_client");
    }

    @Test
    void updateChangesRedirectUrisTokenFormatAndLifetimeBackToTheDefault() {
        String id = (String) add("--access-token-ttl", "2h").get("client_id");
        Map<String, Object> updated = json(tool.run("client", "update", id, "--redirect-uri", "https://new.example/cb",
                "--redirect-uri", "http://localhost:8000/oauth2/redirect", "--access-token-format", "jwt",
                "--access-token-ttl", "default", "--refresh-grace", "30s", "--grant-types", "authorization_code,refresh_token", "--json"));
        assertThat((List<Object>) updated.get("redirect_uris")).containsExactly("https://new.example/cb", "http://localhost:8000/oauth2/redirect");
        assertThat(updated).containsEntry("access_token_format", "jwt").containsEntry("refresh_grace", 30).doesNotContainKey("access_token_ttl");
        assertThat((List<Object>) updated.get("grant_types")).containsExactly("authorization_code", "refresh_token");
        // What was not named stays.
        assertThat(updated).containsEntry("name", "Legacy app").containsEntry("allow_implicit", false);
    }

    @Test
    void updateChecksLikeRegistration() {
        String id = (String) add().get("client_id");
        Tool.Run bad = tool.run("client", "update", id, "--redirect-uri", "http://app.example/cb");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("must use https");
        Tool.Run grace = tool.run("client", "update", id, "--refresh-grace", "2m");
        assertThat(grace.exit()).isNotZero();
        assertThat(grace.err()).contains("refresh grace window must be 0 to 60 seconds");
        Tool.Run unknown = tool.run("client", "update", "0".repeat(40), "--name", "x");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("no client " + "0".repeat(40));
        Tool.Run grants = tool.run("client", "update", id, "--grant-types", "magic");
        assertThat(grants.exit()).isNotZero();
        assertThat(grants.err()).contains("unknown grant type 'magic'");
    }

    @Test
    void updateMakesAClientAResourceServerAndBack() {
        User user = server.createUser();
        String accessToken = (String) token.tokens(server.client().create(), user, "openid").get("access_token");
        Map<String, Object> client = add();
        String id = (String) client.get("client_id");
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((id + ":" + client.get("client_secret")).getBytes());

        // Registered before resource servers were told apart: another client's token is unknown to it.
        assertThat(introspect(basic, accessToken).body()).isEqualTo("{\"active\":false}");
        Map<String, Object> on = json(tool.run("client", "update", id, "--resource-server", "--json"));
        assertThat(on).containsEntry("resource_server", true).containsEntry("name", "Legacy app");
        assertThat(updates(id)).containsExactly("changed resource_server");
        // The server cached the client when it introspected; the change shows once the cache lets it go.
        server.clock().advance(ClientLookup.TTL);
        assertThat(introspect(basic, accessToken).json()).containsEntry("active", true).containsEntry("sub", user.id().value());

        Map<String, Object> off = json(tool.run("client", "update", id, "--no-resource-server", "--json"));
        assertThat(off).containsEntry("resource_server", false);
        server.clock().advance(ClientLookup.TTL);
        assertThat(introspect(basic, accessToken).body()).isEqualTo("{\"active\":false}");
    }

    /** email and email_verified in the client's ID tokens: on unless it is registered to leave them to userinfo. */
    @Test
    void emailInIdTokenIsSetOnAddAndTurnedOnAndOffByUpdate() {
        assertThat(add()).containsEntry("email_in_id_token", true);
        Map<String, Object> client = add("--no-email-in-id-token");
        assertThat(client).containsEntry("email_in_id_token", false);
        String id = (String) client.get("client_id");
        Map<String, Object> on = json(tool.run("client", "update", id, "--email-in-id-token", "--json"));
        assertThat(on).containsEntry("email_in_id_token", true);
        Map<String, Object> off = json(tool.run("client", "update", id, "--no-email-in-id-token", "--json"));
        assertThat(off).containsEntry("email_in_id_token", false);
        assertThat(updates(id)).containsExactly("changed email_in_id_token", "changed email_in_id_token");
        assertThat(server.database().stores().clients().find(new ClientId(id)))
                .hasValueSatisfying(c -> assertThat(c.emailInIdToken()).isFalse());
    }

    /** RFC 9101 §10.5: a client whose authorization requests must come in a signed request object, and their one algorithm. */
    @Test
    void requestObjectSettingsAreSetOnAddAndChangedByUpdate() {
        assertThat(add()).containsEntry("require_signed_request_object", false).doesNotContainKey("request_object_signing_alg");
        Map<String, Object> client = add("--require-signed-request-object", "--request-object-alg", "ES256");
        assertThat(client).containsEntry("require_signed_request_object", true).containsEntry("request_object_signing_alg", "ES256");
        String id = (String) client.get("client_id");
        Map<String, Object> off = json(tool.run("client", "update", id, "--no-require-signed-request-object", "--request-object-alg", "any", "--json"));
        assertThat(off).containsEntry("require_signed_request_object", false).doesNotContainKey("request_object_signing_alg");
        assertThat(updates(id)).containsExactly("changed require_signed_request_object, request_object_signing_alg");
        assertThat(tool.run("client", "update", id, "--request-object-alg", "none").err())
                .contains("request_object_signing_alg must be one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512, not 'none'");
    }

    /** RFC 9449 §5.2: DPoP proofs required of the client, set on add and changed by update; never with the implicit flow. */
    @Test
    void requireDpopIsSetOnAddAndChangedByUpdate() {
        assertThat(add()).containsEntry("dpop_bound_access_tokens", false);
        Map<String, Object> client = add("--require-dpop");
        assertThat(client).containsEntry("dpop_bound_access_tokens", true);
        String id = (String) client.get("client_id");
        assertThat(json(tool.run("client", "update", id, "--no-require-dpop", "--json"))).containsEntry("dpop_bound_access_tokens", false);
        assertThat(updates(id)).containsExactly("changed dpop_bound_access_tokens");
        Tool.Run bad = tool.run("client", "update", id, "--require-dpop", "--allow-implicit");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("the implicit flow's access tokens cannot be DPoP-bound: allow one or the other");
    }

    /** Where logout takes the browser back to, and where the client is told of it: set on add, replaced and removed by update. */
    @Test
    void logoutSettingsAreSetOnAddAndChangedByUpdate() {
        assertThat(add()).containsEntry("post_logout_redirect_uris", List.of()).doesNotContainKey("backchannel_logout_uri")
                .containsEntry("backchannel_logout_session_required", false);
        Map<String, Object> client = add("--post-logout-redirect-uri", "https://app.example/bye", "--post-logout-redirect-uri",
                "http://localhost:8000/bye", "--backchannel-logout-uri", "https://app.example/logout", "--backchannel-logout-session-required");
        assertThat(client).containsEntry("post_logout_redirect_uris", List.of("https://app.example/bye", "http://localhost:8000/bye"))
                .containsEntry("backchannel_logout_uri", "https://app.example/logout").containsEntry("backchannel_logout_session_required", true);
        String id = (String) client.get("client_id");
        Map<String, Object> changed = json(tool.run("client", "update", id, "--no-post-logout-redirect-uris", "--backchannel-logout-uri", "none",
                "--no-backchannel-logout-session-required", "--json"));
        assertThat(changed).containsEntry("post_logout_redirect_uris", List.of()).doesNotContainKey("backchannel_logout_uri")
                .containsEntry("backchannel_logout_session_required", false);
        assertThat(updates(id)).containsExactly("changed post_logout_redirect_uris, backchannel_logout_uri, backchannel_logout_session_required");
        Tool.Run bad = tool.run("client", "update", id, "--post-logout-redirect-uri", "http://app.example/bye");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("post-logout redirect URI 'http://app.example/bye' must use https");
        Tool.Run badUri = tool.run("client", "update", id, "--backchannel-logout-uri", "https://app.example/logout#x");
        assertThat(badUri.err()).contains("the backchannel_logout_uri must not have a fragment");
    }

    /** RFC 9126 §6: a client whose authorization requests must be pushed first. */
    @Test
    void requireParIsSetOnAddAndTurnedOnAndOffByUpdate() {
        assertThat(add()).containsEntry("require_pushed_authorization_requests", false);
        Map<String, Object> client = add("--require-par");
        assertThat(client).containsEntry("require_pushed_authorization_requests", true);
        String id = (String) client.get("client_id");
        Map<String, Object> off = json(tool.run("client", "update", id, "--no-require-par", "--json"));
        assertThat(off).containsEntry("require_pushed_authorization_requests", false);
        Map<String, Object> on = json(tool.run("client", "update", id, "--require-par", "--json"));
        assertThat(on).containsEntry("require_pushed_authorization_requests", true);
        assertThat(updates(id)).containsExactly("changed require_pushed_authorization_requests", "changed require_pushed_authorization_requests");
        assertThat(server.database().stores().clients().find(new ClientId(id)))
                .hasValueSatisfying(c -> assertThat(c.requirePushedAuthorizationRequests()).isTrue());
    }

    @Test
    void jwtClientAuthenticationIsSetOnAddAndChangedByUpdate() throws Exception {
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("cli-1").generate();
        Path jwks = dir.resolve("client-keys.json");
        java.nio.file.Files.writeString(jwks, new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString());
        Map<String, Object> client = add("--auth-method", "private_key_jwt", "--jwks", jwks.toString());
        assertThat(client).containsEntry("token_endpoint_auth_method", "private_key_jwt").containsKey("jwks").doesNotContainKey("client_secret");
        String id = (String) client.get("client_id");
        assertThat(jwtToken(id, JWSAlgorithm.ES256, new com.nimbusds.jose.crypto.ECDSASigner(key), "cli-1").status()).isEqualTo(200);

        // client_secret_jwt: a new, longer secret, sealed by the tool with the server's key file, so the server can check the HMAC.
        Map<String, Object> hmac = json(tool.run("client", "update", id, "--auth-method", "client_secret_jwt", "--json"));
        assertThat(hmac).containsEntry("token_endpoint_auth_method", "client_secret_jwt").doesNotContainKeys("jwks", "jwks_uri");
        String secret = (String) hmac.get("client_secret");
        assertThat(secret).matches("[0-9a-f]{80}");
        server.clock().advance(ClientLookup.TTL.plusSeconds(1));
        assertThat(jwtToken(id, JWSAlgorithm.HS256, new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null)
                .status()).isEqualTo(200);

        // Back to a plain secret: a new one, and the old secret and keys no longer work.
        Map<String, Object> basic = json(tool.run("client", "update", id, "--auth-method", "client_secret_basic", "--json"));
        assertThat(basic).containsEntry("token_endpoint_auth_method", "client_secret_basic");
        assertThat((String) basic.get("client_secret")).matches("[0-9a-f]{40}");
        server.clock().advance(ClientLookup.TTL.plusSeconds(1));
        assertThat(token.post(new TestClient(id, (String) basic.get("client_secret"), null, "x"), Http.form("grant_type", "client_credentials")).status())
                .isEqualTo(200);

        assertThat(tool.run("client", "add", "--name", "No keys", "--type", "web", "--auth-method", "private_key_jwt"))
                .isEqualTo(new Tool.Run(1, "", "castgate: a private_key_jwt client needs its public keys: either jwks or jwks_uri, not both" + System.lineSeparator()));
        assertThat(tool.run("client", "update", id, "--jwks-uri", "http://keys.example/jwks"))
                .isEqualTo(new Tool.Run(1, "", "castgate: the jwks_uri must use https (http only for localhost and loopback addresses)" + System.lineSeparator()));
    }

    private static Http.Response jwtToken(String id, JWSAlgorithm alg, com.nimbusds.jose.JWSSigner signer, String kid) throws Exception {
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(alg).keyID(kid).build(),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(id).subject(id).audience(server.issuer()).jwtID(java.util.UUID.randomUUID().toString())
                        .expirationTime(java.util.Date.from(server.clock().instant().plusSeconds(60))).build());
        jwt.sign(signer);
        return token.post(Http.form("grant_type", "client_credentials", "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", jwt.serialize()));
    }

    @Test
    void updateTurnsLegacyApiWritesOnAndOff() {
        User user = server.createUser();
        Map<String, Object> client = add("--scopes", "openid broadcaster");
        String id = (String) client.get("client_id");
        TestClient registered = new TestClient(id, (String) client.get("client_secret"), "http://localhost:8000/", "Legacy app");
        String openid = (String) token.tokens(registered, user, "openid").get("access_token");
        ApiCalls api = new ApiCalls(server);

        ApiCalls.assertApiError(api.post("/users/self/channels", Http.form("title", "Refused"), openid), 403, "insufficient_scope",
                "the access token lacks the broadcaster scope");
        assertThat(json(tool.run("client", "update", id, "--legacy-api-writes", "--json"))).containsEntry("legacy_api_writes", true);
        server.clock().advance(ClientLookup.TTL);
        Http.Response created = api.post("/users/self/channels", Http.form("title", "Allowed"), openid);
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        assertThat(json(tool.run("client", "update", id, "--no-legacy-api-writes", "--json"))).containsEntry("legacy_api_writes", false);
        server.clock().advance(ClientLookup.TTL);
        ApiCalls.assertApiError(api.post("/users/self/channels", Http.form("title", "Refused again"), openid), 403, "insufficient_scope",
                "the access token lacks the broadcaster scope");
    }

    @Test
    void aNativeClientCannotBeAResourceServer() {
        Tool.Run run = tool.run("client", "add", "--name", "Phone", "--type", "native", "--redirect-uri", "com.example.app:/cb",
                "--resource-server");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("castgate: a native client has no secret, so it cannot be a resource server" + System.lineSeparator());
    }

    /**
     * The details of the client's CLIENT_UPDATED events. All of them: the tool audits at the real
     * time, which the server's clock, moved on by some tests here, may have passed.
     */
    private static List<String> updates(String clientId) {
        return server.database().stores().audit().list(Instant.EPOCH, 100_000).stream()
                .filter(e -> e.type() == AuditEvent.Type.CLIENT_UPDATED && e.clientId().equals(java.util.Optional.of(new ClientId(clientId))))
                .map(e -> e.detail().orElse(""))
                .toList();
    }

    private static Http.Response introspect(String basic, String accessToken) {
        Http.Response r = Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", accessToken), "Authorization", basic);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void aNativeClientCannotTakeThePasswordGrant() {
        Tool.Run run = tool.run("client", "add", "--name", "Phone", "--type", "native", "--redirect-uri", "com.example.app:/cb",
                "--allow-password");
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("cannot use the password grant");
    }
}
