package dev.castgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.User;
import dev.castgate.domain.Video;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests to the Streaming API of a test server, and the fixtures its tests need. */
public final class ApiCalls {
    private final TestServer server;
    private final String base;

    public ApiCalls(TestServer server) { this(server, "/api"); }

    public ApiCalls(TestServer server, String base) {
        this.server = server;
        this.base = base;
    }

    public String url(String path) { return server.url(base + path); }

    public Http.Response get(String path, String token) {
        return Http.client().get(url(path), auth(token));
    }

    public Http.Response post(String path, Map<String, String> form, String token) {
        return Http.client().postForm(url(path), form, auth(token));
    }

    public Http.Response put(String path, Map<String, String> form, String token) {
        return Http.client().send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(Http.encode(form))), auth(token));
    }

    public Http.Response delete(String path, String token) {
        return Http.client().send(HttpRequest.newBuilder(URI.create(url(path))).DELETE(), auth(token));
    }

    private static String[] auth(String token) {
        return token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
    }

    /** A client owned by {@code owner}, for client_credentials tokens that act as that user. */
    public TestClient clientOf(User owner) { return server.client().owner(owner).create(); }

    /** A client_credentials access token (opaque, or a JWT when {@code jwt}) with the given scope ("" for none). */
    public String token(TestClient client, String scope, boolean jwt) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Http.form("grant_type", "client_credentials"));
        if (!scope.isEmpty()) form.put("scope", scope);
        if (jwt) form.put("token_type", "jwt");
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"), form, "Authorization", client.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String token = (String) r.json().get("access_token");
        if (jwt) assertThat(token.split("\\.")).hasSize(3);
        else assertThat(token).matches("[0-9a-f]{40}");
        return token;
    }

    /** Creates a channel through the API and returns its id. */
    public String createChannel(String token, String title) {
        Http.Response r = post("/users/self/channels", Http.form("title", title), token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        @SuppressWarnings("unchecked")
        Map<String, Object> channel = (Map<String, Object>) r.json().get("channel");
        return (String) channel.get("id");
    }

    /** Video metadata, stored directly: the API has no upload. */
    public String insertVideo(String channelId, User owner, String title) {
        String id = RandomTokens.secure().hex40().substring(0, 20);
        server.database().stores().videos().insert(new Video(id, channelId, owner.id(), title, "about " + title, server.clock().instant()));
        return id;
    }

    /** The ingest settings, which must succeed. */
    public Map<String, Object> ingest(String channelId, String token) {
        Http.Response r = get("/channels/" + channelId + "/ingest", token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The publish check, as nginx-rtmp posts it. */
    public Http.Response onPublish(String... fields) {
        List<String> all = new ArrayList<>(List.of("call", "publish", "app", "live", "addr", "127.0.0.1"));
        all.addAll(List.of(fields));
        return Http.client().postForm(url("/broadcast/on_publish"), Http.form(all.toArray(String[]::new)));
    }

    /** An API error: status, whole JSON body, no caching. */
    public static void assertApiError(Http.Response r, int status, String error, String description) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.json()).isEqualTo(Map.of("error", error, "error_description", description));
    }

    /** 401 invalid_token with the Bearer challenge (RFC 6750 §3). */
    public static void assertInvalidToken(Http.Response r, String description) {
        assertApiError(r, 401, "invalid_token", description);
        assertThat(r.header("WWW-Authenticate")).hasValue("Bearer realm=\"castgate\", error=\"invalid_token\", error_description=\""
                + description + "\"");
    }

    public static final String INVALID = "the access token is invalid, expired or revoked";
    public static final String NO_TOKEN = "no access token was sent";
}
