package dev.castgate.api;

import static dev.castgate.api.ApiCalls.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.token.TokenRequests;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every write of the Streaming API needs the broadcaster scope (RFC 9700 §2.3): a token that a
 * sign-in app got with {@code openid} alone changes nothing, and is told so as RFC 6750 §3.1 says.
 * Only a client registered for the original service's scope-free writes changes channels and
 * videos without it.
 */
class ApiWriteScopeTest {
    private static final String LACKS = "the access token lacks the broadcaster scope";

    /** Each route that changes something and takes an access token: the publish check takes none. */
    private static final Set<String> WRITES = Set.of(
            "POST /users/self/channels", "PUT /channels/{id}", "DELETE /channels/{id}",
            "POST /channels/{id}/ingest/channel-key",
            "PUT /videos/{id}", "DELETE /videos/{id}",
            "POST /users/self/device-passwords", "DELETE /users/self/device-passwords/{user_name}");

    @CastgateServer static TestServer server;
    static ApiCalls api;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        api = new ApiCalls(server);
        token = new TokenRequests(server);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDescriptionAsksForBroadcasterOnEveryWrite() {
        Map<String, Object> doc = Http.client().get(api.url("/openapi.json")).json();
        Set<String> writes = new TreeSet<>();
        ((Map<String, Map<String, Map<String, Object>>>) doc.get("paths")).forEach((path, item) -> item.forEach((method, op) -> {
            if (method.equals("get") || ((List<Object>) op.get("security")).isEmpty()) return;
            writes.add(method.toUpperCase(Locale.ROOT) + " " + path);
            assertThat(op.get("security")).as(path).isEqualTo(List.of(Map.of("bearer", List.of("broadcaster"))));
            Map<String, Object> forbidden = (Map<String, Object>) ((Map<String, Object>) op.get("responses")).get("403");
            assertThat(forbidden).as(path).containsEntry("description", "insufficient_scope or lack_of_ownership");
        }));
        assertThat(writes).isEqualTo(new TreeSet<>(WRITES));
        assertThat((String) ((Map<String, Object>) doc.get("info")).get("description"))
                .contains("Creating, changing and deleting channels and videos needs the broadcaster scope");
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void aTokenWithOnlyOpenidChangesNothing(boolean jwt) {
        User user = server.createUser();
        TestClient client = client(jwt).create();
        String openid = (String) token.tokens(client, user, "openid").get("access_token");
        String broadcaster = (String) token.tokens(client, user, "openid broadcaster").get("access_token");
        String channel = api.createChannel(broadcaster, "Kept");
        String video = api.insertVideo(channel, user, "Kept video");
        Object channelKey = api.ingest(channel, broadcaster).get("channel_key");

        for (String write : WRITES) {
            for (boolean suffix : new boolean[] {false, true}) {
                Http.Response r = send(write, suffix, channel, video, openid);
                assertApiError(r, 403, "insufficient_scope", LACKS);
                assertThat(r.header("WWW-Authenticate")).as(write)
                        .hasValue("Bearer realm=\"castgate\", error=\"insufficient_scope\", error_description=\"" + LACKS + "\"");
            }
        }

        // Nothing changed: the one channel, its title, its video and its channel key are as they were.
        Map<String, Object> channels = object(api.get("/users/self/channels", broadcaster).json(), "channels");
        assertThat(channels).containsOnlyKeys(channel);
        assertThat(object(channels, channel)).containsEntry("title", "Kept");
        assertThat(object(api.get("/videos/" + video, broadcaster).json(), "video")).containsEntry("title", "Kept video");
        assertThat(api.ingest(channel, broadcaster).get("channel_key")).isEqualTo(channelKey);
    }

    @Test
    void aClientCredentialsTokenWithoutTheScopeCannotWriteEither() {
        User owner = server.createUser();
        TestClient client = api.clientOf(owner);
        String plain = api.token(client, "", false);
        assertApiError(api.post("/users/self/channels", Http.form("title", "No"), plain), 403, "insufficient_scope", LACKS);
        Http.Response created = api.post("/users/self/channels", Http.form("title", "Yes"), api.token(client, "broadcaster", false));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void withBroadcasterEveryWriteWorks(boolean jwt) {
        User user = server.createUser();
        TestClient client = client(jwt).create();
        String broadcaster = (String) token.tokens(client, user, "openid broadcaster").get("access_token");
        String channel = api.createChannel(broadcaster, "Live");
        String video = api.insertVideo(channel, user, "Episode");

        assertStatus(send("PUT /channels/{id}", false, channel, video, broadcaster), 200);
        assertStatus(send("POST /channels/{id}/ingest/channel-key", false, channel, video, broadcaster), 200);
        assertStatus(send("PUT /videos/{id}", false, channel, video, broadcaster), 200);
        assertStatus(send("DELETE /videos/{id}", false, channel, video, broadcaster), 204);
        Http.Response password = send("POST /users/self/device-passwords", false, channel, video, broadcaster);
        assertStatus(password, 201);
        assertStatus(api.delete("/users/self/device-passwords/" + password.json().get("user_name"), broadcaster), 204);
        assertStatus(send("DELETE /channels/{id}", false, channel, video, broadcaster), 204);
        assertThat(object(api.get("/users/self/channels", broadcaster).json(), "channels")).isEmpty();
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void aLegacyClientChangesChannelsAndVideosWithoutTheScope(boolean jwt) {
        User user = server.createUser();
        TestClient legacy = client(jwt).legacyApiWrites().create();
        String openid = (String) token.tokens(legacy, user, "openid").get("access_token");

        Http.Response created = api.post("/users/self/channels.json", Http.form("title", "Old app"), openid);
        assertStatus(created, 201);
        String channel = (String) object(created.json(), "channel").get("id");
        String video = api.insertVideo(channel, user, "Old video");
        assertThat(object(send("PUT /channels/{id}", false, channel, video, openid).json(), "channel")).containsEntry("title", "Renamed");
        assertThat(object(send("PUT /videos/{id}", true, channel, video, openid).json(), "video")).containsEntry("title", "Renamed");
        assertStatus(send("DELETE /videos/{id}", false, channel, video, openid), 204);

        // What needed broadcaster before scope-free writes were told apart still does.
        for (String write : List.of("POST /channels/{id}/ingest/channel-key", "POST /users/self/device-passwords",
                "DELETE /users/self/device-passwords/{user_name}")) {
            assertApiError(send(write, false, channel, video, openid), 403, "insufficient_scope", LACKS);
        }
        assertStatus(send("DELETE /channels/{id}", false, channel, video, openid), 204);
        assertThat(object(api.get("/users/self/channels", openid).json(), "channels")).isEmpty();
    }

    private static TestServer.ClientBuilder client(boolean jwt) {
        return server.client().accessTokenFormat(jwt ? AccessTokenFormat.JWT : AccessTokenFormat.OPAQUE);
    }

    /** One write route, on the given channel and video, with a valid body, and with the {@code .json} suffix when asked. */
    private static Http.Response send(String write, boolean suffix, String channel, String video, String accessToken) {
        String[] parts = write.split(" ", 2);
        String path = parts[1].replace("/channels/{id}", "/channels/" + channel).replace("/videos/{id}", "/videos/" + video)
                .replace("{user_name}", "dpnone") + (suffix ? ".json" : "");
        Map<String, String> form = switch (write) {
            case "POST /users/self/channels" -> Http.form("title", "Created");
            case "PUT /channels/{id}", "PUT /videos/{id}" -> Http.form("title", "Renamed");
            case "POST /users/self/device-passwords" -> Http.form("device_name", "Camera", "valid_from", "0");
            default -> Map.of();
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(parts[0], HttpRequest.BodyPublishers.ofString(Http.encode(form)));
        return Http.client().send(request, "Authorization", "Bearer " + accessToken);
    }

    private static void assertStatus(Http.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> body, String key) { return (Map<String, Object>) body.get(key); }
}
