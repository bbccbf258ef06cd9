package dev.castgate.admin.api;

import static dev.castgate.admin.api.AdminCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/api/clients}: what {@code castgate client} does, audited as the admin client's. */
class AdminApiClientsTest {
    @CastgateServer static TestServer server;
    static AdminCalls admin;

    @BeforeAll
    static void setUp() { admin = new AdminCalls(server); }

    @Test
    void aClientIsCreatedShownOnceWithItsSecretAndThenWithoutIt() {
        Http.Response created = admin.post("/clients", Map.of("name", "Encoder fleet", "type", "web",
                "redirect_uris", List.of("https://fleet.example/cb"), "scope", "openid broadcaster", "access_token_ttl", 3600), admin.operatorToken());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> body = created.json();
        String id = (String) body.get("client_id");
        assertThat(id).matches("[0-9a-f]{40}");
        assertThat((String) body.get("client_secret")).matches("[0-9a-f]{40}");
        assertThat(created.header("Location")).hasValue(server.url("/admin/api/clients/" + id));
        assertThat(created.header("Cache-Control")).hasValue("no-store");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("client_id", id);
        expected.put("name", "Encoder fleet");
        expected.put("type", "web");
        expected.put("redirect_uris", List.of("https://fleet.example/cb"));
        expected.put("grant_types", List.of("authorization_code", "client_credentials", "refresh_token"));
        expected.put("scope", "broadcaster openid");
        expected.put("id_token_signed_response_alg", "RS256");
        expected.put("access_token_ttl", 3600);
        expected.put("access_token_format", "opaque");
        expected.put("access_token_signing_alg", "ES256");
        expected.put("refresh_grace", 30);
        expected.put("allow_implicit", false);
        expected.put("allow_pkce_plain", false);
        expected.put("prefix_redirect_match", false);
        expected.put("legacy_api_writes", false);
        expected.put("resource_server", false);
        expected.put("require_pushed_authorization_requests", false);
        expected.put("admin", false);
        expected.put("email_in_id_token", true);
        expected.put("token_endpoint_auth_method", "client_secret_basic");
        expected.put("require_signed_request_object", false);
        expected.put("post_logout_redirect_uris", List.of());
        expected.put("backchannel_logout_session_required", false);
        expected.put("dpop_bound_access_tokens", false);
        Map<String, Object> withSecret = new LinkedHashMap<>(expected);
        withSecret.put("client_secret", body.get("client_secret"));
        assertThat(body).isEqualTo(withSecret);

        Http.Response shown = admin.get("/clients/" + id, admin.operatorToken());
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json()).isEqualTo(expected);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all = (List<Map<String, Object>>) admin.get("/clients", admin.operatorToken()).json().get("clients");
        assertThat(all).contains(expected);

        // The secret works at the admin.operatorToken() endpoint.
        TestClient made = new TestClient(id, (String) body.get("client_secret"), null, "Encoder fleet");
        assertThat(admin.tokenRequest(made, "broadcaster").status()).isEqualTo(200);

        assertThat(audit("client_created", id)).hasValueSatisfying(e -> assertThat(e)
                .containsEntry("client_id", id).containsEntry("detail", "web client 'Encoder fleet'; by admin client " + admin.operator().id()));
    }

    @Test
    void aClientIsUpdatedWithTheChecksOfTheToolAndTheAdminFlagIsAudited() {
        TestClient client = server.client().create();
        Http.Response updated = admin.patch("/clients/" + client.id(), Map.of("name", "Renamed", "admin", true,
                "allow_password", true), admin.operatorToken());
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json()).containsEntry("name", "Renamed").containsEntry("admin", true)
                .containsEntry("grant_types", List.of("authorization_code", "client_credentials", "password", "refresh_token"));
        assertThat(audit("client_updated", client.id())).hasValueSatisfying(e -> assertThat(e).containsEntry("detail",
                "changed name, grant_types, admin (now an admin client); by admin client " + admin.operator().id()));
        // Now an admin client, it gets the scope.
        assertThat(admin.tokenRequest(client, "admin").status()).isEqualTo(200);

        Http.Response emailOff = admin.patch("/clients/" + client.id(), Map.of("email_in_id_token", false), admin.operatorToken());
        assertThat(emailOff.json()).containsEntry("email_in_id_token", false);
        assertThat(admin.get("/audit?type=client_updated&limit=1000", admin.operatorToken()).body())
                .contains("changed email_in_id_token; by admin client " + admin.operator().id());

        Http.Response signed = admin.patch("/clients/" + client.id(), Map.of("require_signed_request_object", true,
                "request_object_signing_alg", "PS256"), admin.operatorToken());
        assertThat(signed.json()).containsEntry("require_signed_request_object", true).containsEntry("request_object_signing_alg", "PS256");
        Map<String, Object> anyAlg = new LinkedHashMap<>();
        anyAlg.put("request_object_signing_alg", null);
        assertThat(admin.patch("/clients/" + client.id(), anyAlg, admin.operatorToken()).json()).doesNotContainKey("request_object_signing_alg")
                .containsEntry("require_signed_request_object", true);
        assertThat(admin.patch("/clients/" + client.id(), Map.of("dpop_bound_access_tokens", true), admin.operatorToken()).json())
                .containsEntry("dpop_bound_access_tokens", true);
        Http.Response logout = admin.patch("/clients/" + client.id(), Map.of("post_logout_redirect_uris", List.of("https://app.example/bye"),
                "backchannel_logout_uri", "https://app.example/logout", "backchannel_logout_session_required", true), admin.operatorToken());
        assertThat(logout.json()).containsEntry("post_logout_redirect_uris", List.of("https://app.example/bye"))
                .containsEntry("backchannel_logout_uri", "https://app.example/logout").containsEntry("backchannel_logout_session_required", true);
        assertThat(admin.get("/audit?type=client_updated&limit=1000", admin.operatorToken()).body()).contains("changed post_logout_redirect_uris, "
                + "backchannel_logout_uri, backchannel_logout_session_required; by admin client " + admin.operator().id())
                .contains("changed dpop_bound_access_tokens; by admin client " + admin.operator().id());
        Map<String, Object> noUri = new LinkedHashMap<>();
        noUri.put("backchannel_logout_uri", null);
        assertThat(admin.patch("/clients/" + client.id(), noUri, admin.operatorToken()).json()).doesNotContainKey("backchannel_logout_uri")
                .containsEntry("post_logout_redirect_uris", List.of("https://app.example/bye"));
        Http.Response refused = admin.patch("/clients/" + client.id(), Map.of("backchannel_logout_uri", "http://app.example/logout"),
                admin.operatorToken());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("the backchannel_logout_uri must use https");

        Map<String, Object> back = new LinkedHashMap<>();
        back.put("access_token_ttl", null);
        back.put("admin", false);
        Http.Response reset = admin.patch("/clients/" + client.id(), back, admin.operatorToken());
        assertThat(reset.json()).containsEntry("admin", false).doesNotContainKey("access_token_ttl");
    }

    @Test
    void badInputIs400WithTheToolsReason() {
        String id = server.client().create().id();
        assertError(admin.post("/clients", Map.of("type", "web"), admin.operatorToken()), 400, "invalid_request", "'name' is required");
        assertError(admin.post("/clients", Map.of("name", "X", "type", "desktop"), admin.operatorToken()), 400, "invalid_request",
                "type: client type must be web or native, not 'desktop'");
        assertError(admin.post("/clients", Map.of("name", "X", "type", "web", "redirect_uris", List.of("http://example.com/cb")), admin.operatorToken()),
                400, "invalid_request", "redirect URI 'http://example.com/cb' must use https (http only for localhost and loopback addresses)");
        assertError(admin.post("/clients", Map.of("name", "X", "type", "web", "colour", "blue"), admin.operatorToken()), 400, "invalid_request",
                "unknown field 'colour'");
        assertError(admin.patch("/clients/" + id, Map.of("refresh_grace", 61), admin.operatorToken()), 400, "invalid_request",
                "the refresh grace window must be 0 to 60 seconds");
        assertError(admin.patch("/clients/" + id, Map.of("admin", "yes"), admin.operatorToken()), 400, "invalid_request", "'admin' must be true or false");
        assertError(admin.patch("/clients/" + id, Map.of("grant_types", List.of("magic")), admin.operatorToken()), 400, "invalid_request",
                "unknown grant type 'magic'");
        Http.Response notJson = Http.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(admin.url("/clients")))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{nope")),
                "Authorization", "Bearer " + admin.operatorToken());
        assertError(notJson, 400, "invalid_request", "the request body is not valid JSON");
        Http.Response form = Http.client().postForm(admin.url("/clients"), Http.form("name", "X"), "Authorization", "Bearer " + admin.operatorToken());
        assertError(form, 400, "invalid_request", "the request body must be application/json");
    }

    @Test
    void anUnknownClientIs404() {
        String unknown = "f".repeat(40);
        assertError(admin.get("/clients/" + unknown, admin.operatorToken()), 404, "not_found", "no client " + unknown);
        assertError(admin.patch("/clients/" + unknown, Map.of("name", "X"), admin.operatorToken()), 404, "not_found", "no client " + unknown);
        assertError(admin.delete("/clients/" + unknown, admin.operatorToken()), 404, "not_found", "no client " + unknown);
    }

    @Test
    void aClientIsRemovedWithItsTokens() {
        TestClient client = server.client().create();
        Http.Response removed = admin.delete("/clients/" + client.id(), admin.operatorToken());
        assertThat(removed.status()).isEqualTo(204);
        assertThat(removed.body()).isEmpty();
        assertError(admin.get("/clients/" + client.id(), admin.operatorToken()), 404, "not_found", "no client " + client.id());
        assertThat(audit("client_removed", client.id())).hasValueSatisfying(e -> assertThat(e)
                .containsEntry("detail", "by admin client " + admin.operator().id()));
    }

    /** The newest event of the type about the client, through the API itself. */
    @SuppressWarnings("unchecked")
    static java.util.Optional<Map<String, Object>> audit(String type, String clientId) {
        Http.Response r = admin.get("/audit?type=" + type + "&limit=1000", admin.operatorToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) r.json().get("events")).stream().filter(e -> clientId.equals(e.get("client_id"))).findFirst();
    }
}
