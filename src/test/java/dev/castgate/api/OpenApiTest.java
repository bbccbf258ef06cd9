package dev.castgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI description at /api/openapi.json and the router agree, both ways. */
class OpenApiTest {
    @CastgateServer static TestServer server;
    static ApiCalls api;

    /** The Streaming API as PRODUCT.md and issue 5 list it, plus the publish check and this description. */
    static final Set<String> EXPECTED = Set.of(
            "GET /users/self",
            "GET /users/self/channels", "POST /users/self/channels",
            "GET /channels/{id}", "PUT /channels/{id}", "DELETE /channels/{id}",
            "GET /channels/{id}/videos",
            "GET /channels/{id}/ingest", "POST /channels/{id}/ingest/channel-key",
            "GET /users/self/videos",
            "GET /videos/{id}", "PUT /videos/{id}", "DELETE /videos/{id}",
            "GET /users/self/device-passwords", "POST /users/self/device-passwords",
            "DELETE /users/self/device-passwords/{user_name}",
            "POST /broadcast/on_publish",
            "GET /openapi.json");

    @BeforeAll
    static void setUp() {
        api = new ApiCalls(server);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> documented() {
        Http.Response r = Http.client().get(server.url("/api/openapi.json"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> doc = r.json();
        assertThat(doc.get("openapi")).isEqualTo("3.0.3");
        assertThat((List<Map<String, Object>>) doc.get("servers")).containsExactly(Map.of("url", server.url("/api")));
        Set<String> operations = new TreeSet<>();
        ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, item) -> item.forEach((method, op) -> {
            operations.add(method.toUpperCase(Locale.ROOT) + " " + path);
            assertThat((Map<String, Object>) op).containsKeys("operationId", "summary", "responses", "security");
        }));
        return operations;
    }

    @Test
    void theDescriptionListsExactlyTheApi() {
        assertThat(documented()).isEqualTo(new TreeSet<>(EXPECTED));
    }

    @Test
    void everyRouteOfTheApiIsDescribedAndEveryDescribedRouteIsRegistered() {
        Set<String> documented = documented();
        Set<String> registered = new HashSet<>();
        for (String route : server.routes()) {
            String[] parts = route.split(" ", 2);
            if (!parts[1].startsWith("/api/") || !Set.of("GET", "POST", "PUT", "DELETE").contains(parts[0])) continue;
            String path = parts[1].substring("/api".length());
            // The .json twin of a route is the same operation.
            if (path.endsWith(".json") && !path.equals("/openapi.json")) path = path.substring(0, path.length() - 5);
            registered.add(parts[0] + " " + path);
        }
        assertThat(registered).isEqualTo(documented);
    }

    @Test
    void everyDescribedRouteAnswersWithAndWithoutTheJsonSuffix() {
        for (String operation : documented()) {
            String[] parts = operation.split(" ", 2);
            String path = parts[1].replace("{id}", "nosuchid").replace("{user_name}", "nosuchname");
            List<String> variants = path.equals("/openapi.json") || path.equals("/broadcast/on_publish") ? List.of(path)
                    : List.of(path, path + ".json");
            for (String variant : variants) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url(variant)))
                        .method(parts[0], parts[0].equals("GET") || parts[0].equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(""))
                        .header("Content-Type", "application/x-www-form-urlencoded");
                Http.Response r = Http.client().send(request);
                assertThat(r.status()).as(operation + " at " + variant + ": " + r.body()).isNotIn(405, 500);
                if (r.status() == 404) assertThat(r.json()).as(variant).doesNotContainEntry("error_description", "no such endpoint");
            }
        }
        Http.Response unknown = api.get("/users/self/labels", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).containsEntry("error_description", "no such endpoint");
    }

    @Test
    void theBasePathIsASetting(@CastgateServer("CASTGATE_API_BASE_PATH=/streaming/v1") TestServer other) {
        Http.Response doc = Http.client().get(other.url("/streaming/v1/openapi.json"));
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("servers")).isEqualTo(List.of(Map.of("url", other.url("/streaming/v1"))));
        Http.Response self = Http.client().get(other.url("/streaming/v1/users/self.json"));
        ApiCalls.assertInvalidToken(self, ApiCalls.NO_TOKEN);
        assertThat(Http.client().get(other.url("/api/users/self")).status()).isEqualTo(404);
    }
}
