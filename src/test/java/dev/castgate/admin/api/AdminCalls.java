package dev.castgate.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.http.Json;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** Requests to the admin API of a test server, with an admin client's token. */
final class AdminCalls {
    private final TestServer server;
    private TestClient operator;
    private String operatorToken;

    AdminCalls(TestServer server) { this.server = server; }

    /** The admin client the test acts as, made at first use. */
    TestClient operator() {
        if (operator == null) operator = server.client().admin().create();
        return operator;
    }

    /** Its token with the admin scope, asked for at first use. */
    String operatorToken() {
        if (operatorToken == null) operatorToken = token(operator(), "admin");
        return operatorToken;
    }

    String url(String path) { return server.url("/admin/api" + path); }

    /** A new admin client and a client_credentials token of it with the admin scope. */
    String adminToken() { return token(server.client().admin().create(), "admin"); }

    /** A client_credentials token of {@code client} with {@code scope}. */
    String token(TestClient client, String scope) {
        Http.Response r = tokenRequest(client, scope);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        if (!scope.isEmpty()) assertThat(r.json()).containsEntry("scope", scope);
        return (String) r.json().get("access_token");
    }

    Http.Response tokenRequest(TestClient client, String scope) {
        Map<String, String> form = new LinkedHashMap<>(Http.form("grant_type", "client_credentials"));
        if (!scope.isEmpty()) form.put("scope", scope);
        return Http.client().postForm(server.url("/oauth2/token"), form, "Authorization", client.basic());
    }

    Http.Response get(String path, String token) { return Http.client().get(url(path), auth(token)); }

    Http.Response post(String path, Map<String, ?> body, String token) { return send("POST", path, body, token); }

    Http.Response patch(String path, Map<String, ?> body, String token) { return send("PATCH", path, body, token); }

    Http.Response delete(String path, String token) { return send("DELETE", path, null, token); }

    Http.Response send(String method, String path, Map<String, ?> body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (body != null) b.header("Content-Type", "application/json");
        return Http.client().send(b, auth(token));
    }

    private static String[] auth(String token) {
        return token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
    }

    /** A JSON error with exactly these members, not stored. */
    static void assertError(Http.Response r, int status, String error, String description) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.json()).isEqualTo(Map.of("error", error, "error_description", description));
    }
}
