package dev.castgate.admin.api;

import static dev.castgate.admin.api.AdminCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/api/resources}: resource servers for resource indicators (RFC 8707) registered,
 * listed and removed as {@code castgate resource} does, the server following each change at once,
 * each change audited as the admin client's; and an admin token narrowed to another resource refused.
 */
class AdminApiResourcesTest {
    @CastgateServer static TestServer server;
    static AdminCalls admin;

    @BeforeAll
    static void setUp() { admin = new AdminCalls(server); }

    @Test
    @SuppressWarnings("unchecked")
    void addListAndRemoveAResource() {
        String uri = "https://admin-added.example/api";
        Http.Response added = admin.post("/resources", Map.of("uri", uri, "name", "Added", "scopes", List.of("broadcaster")),
                admin.operatorToken());
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json()).isEqualTo(Map.of("uri", uri, "name", "Added", "scopes", List.of("broadcaster"), "built_in", false));
        TestClient client = server.client().owner(server.createUser()).create();
        assertThat(clientCredentials(client, uri).status()).isEqualTo(200);

        List<Map<String, Object>> listed = (List<Map<String, Object>>) admin.get("/resources", admin.operatorToken()).json().get("resources");
        assertThat(listed.get(0)).containsEntry("uri", server.issuer() + "/api").containsEntry("built_in", true);
        assertThat(listed).anySatisfy(r -> assertThat(r).containsEntry("uri", uri));
        assertError(admin.post("/resources", Map.of("uri", uri, "name", "Again"), admin.operatorToken()), 400, "invalid_request",
                "a resource " + uri + " is registered already");
        assertError(admin.post("/resources", Map.of("uri", "relative", "name", "R"), admin.operatorToken()), 400, "invalid_request",
                "a resource URI must be absolute, with a scheme such as https:");

        Http.Response removed = admin.delete("/resources?uri=" + Http.encode(Map.of("u", uri)).substring(2), admin.operatorToken());
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json()).isEqualTo(Map.of("uri", uri, "removed", true));
        // This node forgets the registry at once.
        Http.Response refused = clientCredentials(client, uri);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json()).containsEntry("error", "invalid_target");
        assertError(admin.delete("/resources?uri=" + Http.encode(Map.of("u", uri)).substring(2), admin.operatorToken()), 404, "not_found",
                "no resource " + uri);
        assertError(admin.delete("/resources", admin.operatorToken()), 400, "invalid_request", "'uri' is required");

        List<Map<String, Object>> events = (List<Map<String, Object>>) admin.get("/audit?type=resource_added,resource_removed",
                admin.operatorToken()).json().get("events");
        assertThat(events).extracting(e -> e.get("event")).startsWith("resource_removed", "resource_added");
        assertThat(events.subList(0, 2)).allSatisfy(e -> assertThat((String) e.get("detail")).startsWith("resource " + uri)
                .endsWith("by admin client " + admin.operator().id()));
    }

    @Test
    void anAdminTokenForAnotherResourceIsRefused() {
        Http.Response token = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "scope", "admin", "resource", server.issuer() + "/api"), "Authorization", admin.operator().basic());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertError(admin.get("/resources", (String) token.json().get("access_token")), 401, "invalid_token",
                "the access token is for another resource");
    }

    private static Http.Response clientCredentials(TestClient client, String resource) {
        return Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials", "resource", resource),
                "Authorization", client.basic());
    }
}
