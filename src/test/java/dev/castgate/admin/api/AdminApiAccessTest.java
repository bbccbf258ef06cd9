package dev.castgate.admin.api;

import static dev.castgate.admin.api.AdminCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.TokenVerifier;
import dev.castgate.domain.GrantType;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Urls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may use the admin API: only a token with the admin scope, which only an admin client gets,
 * and only through client_credentials; every other way of asking for the scope is invalid_scope.
 */
class AdminApiAccessTest {
    @CastgateServer static TestServer server;
    static AdminCalls admin;

    static final String REFUSED = "the admin scope is given only to admin clients, through the client_credentials grant";
    static final String INVALID = "the access token is invalid, expired or revoked";

    @BeforeAll
    static void setUp() { admin = new AdminCalls(server); }

    private static void assertChallenge(Http.Response r, String error, String description, String scope) {
        assertThat(r.header("WWW-Authenticate")).hasValue("Bearer realm=\"castgate\", error=\"" + error + "\", error_description=\""
                + description + "\"" + (scope == null ? "" : ", scope=\"" + scope + "\""));
    }

    @Test
    void anAdminClientsTokenWithTheAdminScopeIsLetIn() {
        Http.Response r = admin.get("/clients", admin.adminToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        assertThat(r.json()).containsOnlyKeys("clients");
        // Counted like the Streaming API's requests.
        assertThat(r.header("X-RateLimit-Limit")).isPresent();
    }

    @Test
    void aJwtAccessTokenWithTheAdminScopeIsLetInToo() {
        TestClient client = server.client().admin().create();
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "client_credentials", "scope", "admin", "token_type", "jwt"), "Authorization", client.basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        String jwt = (String) token.json().get("access_token");
        assertThat(jwt.split("\\.")).hasSize(3);
        assertThat(admin.get("/users", jwt).status()).isEqualTo(200);
    }

    @Test
    void noTokenAMalformedOneOrAnUnknownOneIs401() {
        Http.Response none = admin.get("/clients", null);
        assertError(none, 401, "invalid_token", "no access token was sent");
        assertChallenge(none, "invalid_token", "no access token was sent", null);
        Http.Response unknown = admin.get("/clients", "0".repeat(40));
        assertError(unknown, 401, "invalid_token", INVALID);
        assertChallenge(unknown, "invalid_token", INVALID, null);
        Http.Response basic = Http.client().get(admin.url("/users"), "Authorization", "Basic Zm9vOmJhcg==");
        assertError(basic, 401, "invalid_token", "the Authorization header is not a Bearer or DPoP token");
    }

    @Test
    void aTokenWithoutTheAdminScopeIs403NamingTheScope() {
        TestClient adminClient = server.client().admin().create();
        Http.Response r = admin.get("/clients", admin.token(adminClient, "broadcaster"));
        assertError(r, 403, "insufficient_scope", "the access token lacks the admin scope");
        assertChallenge(r, "insufficient_scope", "the access token lacks the admin scope", "admin");
        TestClient plain = server.client().create();
        assertError(admin.post("/keys/rotate", Map.of(), admin.token(plain, "")), 403, "insufficient_scope",
                "the access token lacks the admin scope");
    }

    @Test
    void aClientThatIsNotAnAdminClientCannotHaveTheScope() {
        TestClient plain = server.client().create();
        Http.Response r = admin.tokenRequest(plain, "admin");
        assertError(r, 400, "invalid_scope", REFUSED);
        Http.Response mixed = admin.tokenRequest(plain, "broadcaster admin");
        assertError(mixed, 400, "invalid_scope", REFUSED);
    }

    @Test
    void theScopeIsNeverTheDefaultOfAnAdminClient() {
        TestClient client = server.client().admin().create();
        Http.Response r = admin.tokenRequest(client, "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).doesNotContainKey("scope");
        assertError(admin.get("/clients", (String) r.json().get("access_token")), 403, "insufficient_scope",
                "the access token lacks the admin scope");
    }

    @Test
    void theAuthorizationEndpointRefusesTheScopeEvenForAnAdminClient() {
        TestClient client = server.client().admin().create();
        Http.Response r = Http.client().get(Urls.withQuery(server.url("/authorize"), Http.form("client_id", client.id(),
                "redirect_uri", client.redirectUri(), "response_type", "code", "scope", "openid admin", "state", "s1")));
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.locationParams()).containsEntry("error", "invalid_scope").containsEntry("error_description", REFUSED)
                .containsEntry("state", "s1");
        TestClient nativeApp = server.client().nativeApp().redirectUris("http://127.0.0.1/cb").create();
        Http.Response n = Http.client().get(Urls.withQuery(server.url("/authorize"), Http.form("client_id", nativeApp.id(),
                "redirect_uri", nativeApp.redirectUri(), "response_type", "code", "scope", "admin", "state", "s2",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256")));
        assertThat(n.locationParams()).containsEntry("error", "invalid_scope").containsEntry("error_description", REFUSED);
    }

    @Test
    void thePasswordRefreshAndDeviceGrantsRefuseTheScope() {
        var user = server.createUser();
        TestClient client = server.client().admin().allowPassword().create();
        Http.Response password = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", user.username(), "password", TestServer.PASSWORD, "scope", "admin"), "Authorization", client.basic());
        assertError(password, 400, "invalid_scope", REFUSED);
        Http.Response issued = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "password",
                "username", user.username(), "password", TestServer.PASSWORD, "scope", "broadcaster"), "Authorization", client.basic());
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        Http.Response refresh = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "refresh_token",
                "refresh_token", (String) issued.json().get("refresh_token"), "scope", "admin"), "Authorization", client.basic());
        assertError(refresh, 400, "invalid_scope", REFUSED);
        TestClient device = server.client().grants(GrantType.DEVICE_CODE).create();
        Http.Response deviceAuthorization = Http.client().postForm(server.url("/oauth2/device_authorization"),
                Http.form("scope", "admin"), "Authorization", device.basic());
        assertError(deviceAuthorization, 400, "invalid_scope", REFUSED);
    }

    @Test
    void aNativeClientCannotBeAnAdminClientAndTheScopeIsNoRegisteredScope() {
        String token = admin.adminToken();
        assertError(admin.post("/clients", Map.of("name", "Phone", "type", "native", "redirect_uris", List.of("http://127.0.0.1/cb"),
                "admin", true), token), 400, "invalid_request", "a native client has no secret, so it cannot be an admin client");
        assertError(admin.post("/clients", Map.of("name", "Sneaky", "type", "web", "redirect_uris", List.of("https://a.example/cb"),
                "scope", "openid admin"), token), 400, "invalid_request",
                "admin is not among a client's scopes: an admin client receives it through client_credentials");
    }

    @Test
    @SuppressWarnings("unchecked")
    void discoveryDoesNotAdvertiseTheScope() {
        Http.Response r = Http.client().get(server.url("/.well-known/openid-configuration"));
        assertThat((List<Object>) r.json().get("scopes_supported")).isNotEmpty().doesNotContain("admin");
    }

    @Test
    void aRevokedAdminTokenIsRefused() {
        TestClient client = server.client().admin().create();
        String token = admin.token(client, "admin");
        assertThat(admin.get("/keys", token).status()).isEqualTo(200);
        Http.Response revoked = Http.client().postForm(server.url("/oauth2/revoke"), Http.form("token", token), "Authorization", client.basic());
        assertThat(revoked.status()).isEqualTo(200);
        // At most the verifier's cache period later, on every database.
        server.clock().advance(TokenVerifier.CACHE_TTL.plusSeconds(1));
        assertError(admin.get("/keys", token), 401, "invalid_token", INVALID);
    }

    @Test
    void aClientNoLongerAnAdminClientLosesTheApiAtOnceHere() {
        String operator = admin.adminToken();
        TestClient client = server.client().admin().create();
        String token = admin.token(client, "admin");
        Http.Response demoted = admin.patch("/clients/" + client.id(), Map.of("admin", false), operator);
        assertThat(demoted.status()).as(demoted.body()).isEqualTo(200);
        assertThat(demoted.json()).containsEntry("admin", false);
        assertError(admin.get("/clients", token), 401, "invalid_token", "the access token's client is no longer an admin client");
        assertError(admin.tokenRequest(client, "admin"), 400, "invalid_scope", REFUSED);
    }

    @Test
    void aWrongMethodIs405AndAnUnknownPath404() {
        String token = admin.adminToken();
        Http.Response put = admin.send("PUT", "/clients", Map.of(), token);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.json()).containsEntry("error", "invalid_request");
        assertError(admin.get("/nothing-here", token), 404, "not_found", "no such endpoint");
    }
}
