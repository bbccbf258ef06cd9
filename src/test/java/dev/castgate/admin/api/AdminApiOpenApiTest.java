package dev.castgate.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The admin API's OpenAPI description and its router agree, both ways. */
class AdminApiOpenApiTest {
    @CastgateServer static TestServer server;

    static final Set<String> EXPECTED = Set.of(
            "GET /clients", "POST /clients", "GET /clients/{id}", "PATCH /clients/{id}", "DELETE /clients/{id}",
            "GET /users", "POST /users", "GET /users/{user}", "PATCH /users/{user}", "DELETE /users/{user}",
            "POST /users/{user}/password", "POST /users/{user}/verify-email", "POST /users/{user}/disable", "POST /users/{user}/enable",
            "POST /users/{user}/unlock", "DELETE /users/{user}/passkeys",
            "GET /users/{user}/grants", "DELETE /grants/{grant_id}",
            "GET /keys", "POST /keys/rotate", "POST /keys/{kid}/retire",
            "GET /audit",
            "GET /registration-tokens", "POST /registration-tokens", "GET /registration-tokens/{id}", "DELETE /registration-tokens/{id}",
            "GET /resources", "POST /resources", "DELETE /resources",
            "GET /openapi.json");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document() {
        Http.Response r = Http.client().get(server.url("/admin/api/openapi.json"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return r.json();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> documented() {
        Set<String> operations = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document().get("paths")).forEach((path, item) -> item.forEach((method, op) -> {
            operations.add(method.toUpperCase(Locale.ROOT) + " " + path);
            assertThat((Map<String, Object>) op).containsKeys("operationId", "summary", "responses", "security");
        }));
        return operations;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentIsOpenApiWithTheBearerSchemeAndTheAdminScope() {
        Map<String, Object> doc = document();
        assertThat(doc.get("openapi")).isEqualTo("3.0.3");
        assertThat((List<Object>) doc.get("servers")).containsExactly(Map.of("url", server.url("/admin/api")));
        Map<String, Object> schemes = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("securitySchemes");
        assertThat((Map<String, Object>) schemes.get("bearer")).containsEntry("type", "http").containsEntry("scheme", "bearer");
        Map<String, Object> listClients = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) doc.get("paths"))
                .get("/clients")).get("get");
        assertThat(listClients.get("security")).isEqualTo(List.of(Map.of("bearer", List.of("admin"))));
        Map<String, Object> createUser = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) doc.get("paths"))
                .get("/users")).get("post");
        Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                createUser.get("requestBody")).get("content")).get("application/json")).get("schema");
        assertThat((List<Object>) schema.get("required")).containsExactly("username", "email", "password");
    }

    @Test
    void theDescriptionListsExactlyTheApi() {
        assertThat(documented()).isEqualTo(new TreeSet<>(EXPECTED));
    }

    @Test
    void everyRouteOfTheApiIsDescribedAndEveryDescribedRouteIsRegistered() {
        Set<String> registered = new HashSet<>();
        for (String route : server.routes()) {
            String[] parts = route.split(" ", 2);
            if (!parts[1].startsWith("/admin/api/") || !Set.of("GET", "POST", "PATCH", "PUT", "DELETE").contains(parts[0])) continue;
            registered.add(parts[0] + " " + parts[1].substring("/admin/api".length()));
        }
        assertThat(registered).isEqualTo(documented());
    }

    @Test
    void everyDescribedRouteAnswersWithoutATokenAs401NeverAs405Or500() {
        for (String operation : documented()) {
            if (operation.equals("GET /openapi.json")) continue;
            String[] parts = operation.split(" ", 2);
            String path = parts[1].replace("{id}", "nosuchid").replace("{user}", "nobody").replace("{grant_id}", "x").replace("{kid}", "k");
            Http.Response r = new AdminCalls(server).send(parts[0], path, null, null);
            AdminCalls.assertError(r, 401, "invalid_token", "no access token was sent");
        }
    }
}
