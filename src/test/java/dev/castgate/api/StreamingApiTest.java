package dev.castgate.api;

import static dev.castgate.api.ApiCalls.INVALID;
import static dev.castgate.api.ApiCalls.NO_TOKEN;
import static dev.castgate.api.ApiCalls.assertApiError;
import static dev.castgate.api.ApiCalls.assertInvalidToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Streaming API's resources with opaque and JWT access tokens: success, errors and ownership across two users. */
class StreamingApiTest {
    @CastgateServer static TestServer server;
    static ApiCalls api;

    @BeforeAll
    static void setUp() {
        api = new ApiCalls(server);
    }

    record Party(User user, TestClient client, String token) {}

    private static Party party(String scope, boolean jwt) {
        User user = server.createUser();
        TestClient client = api.clientOf(user);
        return new Party(user, client, api.token(client, scope, jwt));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> body, String key) { return (Map<String, Object>) body.get(key); }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void usersSelfShowsTheEmailOnlyWithTheEmailScope(boolean jwt) {
        Party alice = party("", jwt);
        Http.Response r = api.get("/users/self", alice.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.json()).isEqualTo(Map.of("id", alice.user().id().value(), "username", alice.user().username()));

        String withEmail = api.token(alice.client(), "email", jwt);
        Http.Response json = api.get("/users/self.json", withEmail);
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        assertThat(json.json()).isEqualTo(Map.of("id", alice.user().id().value(), "username", alice.user().username(),
                "email", alice.user().email()));
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void aChannelIsCreatedListedReadChangedAndDeleted(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        Http.Response created = api.post("/users/self/channels.json", Http.form("title", "  Morning show ", "description", "daily"),
                alice.token());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> channel = object(created.json(), "channel");
        String id = (String) channel.get("id");
        assertThat(channel).isEqualTo(Map.of("id", id, "title", "Morning show", "url", api.url("/channels/" + id)));

        Http.Response list = api.get("/users/self/channels", alice.token());
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        Map<String, Object> detail = object(object(list.json(), "channels"), id);
        assertThat(detail).containsEntry("title", "Morning show").containsEntry("description", "daily")
                .containsEntry("stream_name", id).containsEntry("owner", Map.of("id", alice.user().id().value()))
                .containsEntry("authority", Map.of("reason", "own"));
        assertThat(object(list.json(), "channels")).containsOnlyKeys(id);

        Http.Response own = api.get("/channels/" + id + ".json", alice.token());
        assertThat(own.status()).isEqualTo(200);
        assertThat(object(own.json(), "channel")).isEqualTo(detail);

        Http.Response changed = api.put("/channels/" + id, Http.form("title", "Evening show"), alice.token());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(object(changed.json(), "channel")).containsEntry("title", "Evening show").containsEntry("description", "daily");
        Http.Response described = api.put("/channels/" + id + ".json", Http.form("description", ""), alice.token());
        assertThat(object(described.json(), "channel")).containsEntry("title", "Evening show").containsEntry("description", "");

        Http.Response deleted = api.delete("/channels/" + id, alice.token());
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertApiError(api.get("/channels/" + id, alice.token()), 404, "not_found", "no such channel");
        assertApiError(api.delete("/channels/" + id + ".json", alice.token()), 404, "not_found", "no such channel");
        assertThat(object(api.get("/users/self/channels", alice.token()).json(), "channels")).isEmpty();
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void publicChannelDataIsMinimalWithoutATokenOrForAnotherUser(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        Party bob = party("", jwt);
        String id = api.createChannel(alice.token(), "Alice live");
        Map<String, Object> minimal = Map.of("channel", Map.of("id", id, "title", "Alice live", "url", api.url("/channels/" + id)));

        Http.Response anonymous = api.get("/channels/" + id, null);
        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(200);
        assertThat(anonymous.json()).isEqualTo(minimal);
        assertThat(api.get("/channels/" + id + ".json", bob.token()).json()).isEqualTo(minimal);
        // A token that is sent must be valid, even where none is needed.
        assertInvalidToken(api.get("/channels/" + id, "not-a-token"), INVALID);
        assertApiError(api.get("/channels/nosuchchannel", null), 404, "not_found", "no such channel");
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void anotherUsersChannelCannotBeChangedDeletedOrBroadcastTo(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        Party bob = party("broadcaster", jwt);
        String id = api.createChannel(alice.token(), "Alice live");
        String video = api.insertVideo(id, alice.user(), "Episode 1");
        String lack = "the access token's user does not own this channel";

        assertApiError(api.put("/channels/" + id, Http.form("title", "mine"), bob.token()), 403, "lack_of_ownership", lack);
        assertApiError(api.delete("/channels/" + id, bob.token()), 403, "lack_of_ownership", lack);
        assertApiError(api.get("/channels/" + id + "/ingest", bob.token()), 403, "lack_of_ownership", lack);
        assertApiError(api.post("/channels/" + id + "/ingest/channel-key", Map.of(), bob.token()), 403, "lack_of_ownership", lack);
        String lackVideo = "the access token's user does not own this video";
        assertApiError(api.put("/videos/" + video, Http.form("title", "mine"), bob.token()), 403, "lack_of_ownership", lackVideo);
        assertApiError(api.delete("/videos/" + video + ".json", bob.token()), 403, "lack_of_ownership", lackVideo);
        assertThat(object(api.get("/users/self/channels", bob.token()).json(), "channels")).isEmpty();
        assertThat(api.get("/users/self/videos", bob.token()).json()).isEqualTo(Map.of("videos", List.of()));

        Http.Response still = api.get("/channels/" + id, alice.token());
        assertThat(object(still.json(), "channel")).containsEntry("title", "Alice live");
        assertThat(object(api.get("/videos/" + video, alice.token()).json(), "video")).containsEntry("title", "Episode 1");
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void videosAreListedReadChangedAndDeleted(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        Party bob = party("", jwt);
        String channel = api.createChannel(alice.token(), "Alice live");
        String first = api.insertVideo(channel, alice.user(), "Episode 1");
        server.clock().advance(Duration.ofSeconds(1));
        String second = api.insertVideo(channel, alice.user(), "Episode 2");

        Http.Response own = api.get("/users/self/videos.json", alice.token());
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> videos = (List<Map<String, Object>>) own.json().get("videos");
        assertThat(videos).extracting(v -> v.get("id")).containsExactly(first, second);
        assertThat(videos.get(0)).containsEntry("description", "about Episode 1").containsEntry("channel_id", channel)
                .containsEntry("owner", Map.of("id", alice.user().id().value()));

        Map<String, Object> minimal = Map.of("id", first, "title", "Episode 1", "channel_id", channel, "url", api.url("/videos/" + first));
        Http.Response anonymousList = api.get("/channels/" + channel + "/videos", null);
        assertThat(anonymousList.status()).as(anonymousList.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> publicVideos = (List<Map<String, Object>>) anonymousList.json().get("videos");
        assertThat(publicVideos).hasSize(2);
        assertThat(publicVideos.get(0)).isEqualTo(minimal);
        assertThat(api.get("/channels/" + channel + "/videos.json", bob.token()).json().get("videos")).isEqualTo(publicVideos);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ownerList = (List<Map<String, Object>>) api.get("/channels/" + channel + "/videos", alice.token())
                .json().get("videos");
        assertThat(ownerList.get(0)).containsEntry("description", "about Episode 1");

        assertThat(api.get("/videos/" + first, null).json()).isEqualTo(Map.of("video", minimal));
        assertThat(api.get("/videos/" + first + ".json", bob.token()).json()).isEqualTo(Map.of("video", minimal));
        Http.Response changed = api.put("/videos/" + first + ".json", Http.form("title", "Pilot", "description", "the first"), alice.token());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(object(changed.json(), "video")).containsEntry("title", "Pilot").containsEntry("description", "the first");

        assertThat(api.delete("/videos/" + first, alice.token()).status()).isEqualTo(204);
        assertApiError(api.get("/videos/" + first, alice.token()), 404, "not_found", "no such video");
        assertApiError(api.put("/videos/" + first, Http.form("title", "x"), alice.token()), 404, "not_found", "no such video");
        assertApiError(api.get("/channels/nosuch/videos", null), 404, "not_found", "no such channel");

        // Deleting the channel deletes its videos.
        assertThat(api.delete("/channels/" + channel, alice.token()).status()).isEqualTo(204);
        assertApiError(api.get("/videos/" + second, null), 404, "not_found", "no such video");
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void badInputIsInvalidRequestNeverAServerError(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        String id = api.createChannel(alice.token(), "Alice live");
        assertApiError(api.post("/users/self/channels", Map.of(), alice.token()), 400, "invalid_request", "parameter title is missing");
        assertApiError(api.post("/users/self/channels", Http.form("title", "   "), alice.token()), 400, "invalid_request",
                "title must not be blank");
        assertApiError(api.post("/users/self/channels", Http.form("title", "x".repeat(201)), alice.token()), 400, "invalid_request",
                "title is longer than 200 characters");
        assertApiError(api.post("/users/self/channels", Http.form("title", "a", "description", "d".repeat(4001)), alice.token()), 400,
                "invalid_request", "description is longer than 4000 characters");
        assertApiError(Http.client().post(api.url("/users/self/channels"), "application/json", "{\"title\":\"x\"}",
                "Authorization", "Bearer " + alice.token()), 400, "invalid_request", "the request body must be application/x-www-form-urlencoded");
        assertApiError(api.put("/channels/" + id, Map.of(), alice.token()), 400, "invalid_request",
                "nothing to change: send title or description");
        assertApiError(api.post("/users/self/device-passwords", Http.form("device_name", "cam", "valid_from", "soon"), alice.token()), 400,
                "invalid_request", "valid_from must be a Unix time in seconds");
        assertApiError(api.post("/users/self/device-passwords", Http.form("device_name", "cam", "valid_from", "99999999999999"),
                alice.token()), 400, "invalid_request", "valid_from is out of range");
        assertApiError(api.post("/users/self/device-passwords", Http.form("device_name", "cam", "valid_from", "100", "valid_until", "100"),
                alice.token()), 400, "invalid_request", "valid_until must be after valid_from");
        assertApiError(api.post("/users/self/device-passwords", Http.form("valid_from", "100"), alice.token()), 400,
                "invalid_request", "parameter device_name is missing");
        assertApiError(api.get("/channels/" + "x".repeat(300), alice.token()), 404, "not_found", "no such channel");
        assertApiError(api.get("/no/such/resource", alice.token()), 404, "not_found", "no such endpoint");
        assertThat(api.post("/users/self", Map.of(), alice.token()).status()).isEqualTo(405);
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void tokensAreCheckedBeforeAnything(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        String id = api.createChannel(alice.token(), "Alice live");
        for (String path : List.of("/users/self", "/users/self/channels", "/users/self/videos", "/channels/" + id + "/ingest",
                "/users/self/device-passwords")) {
            assertInvalidToken(api.get(path, null), NO_TOKEN);
            assertInvalidToken(api.get(path, alice.token() + "x"), INVALID);
            assertInvalidToken(api.get(path, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), INVALID);
        }
        assertInvalidToken(api.put("/channels/" + id, Http.form("title", "x"), null), NO_TOKEN);
        assertInvalidToken(api.delete("/channels/" + id, null), NO_TOKEN);
        assertInvalidToken(api.post("/users/self/channels", Http.form("title", "x"), null), NO_TOKEN);
        assertInvalidToken(Http.client().get(api.url("/users/self"), "Authorization", "Basic " + alice.token()),
                "the Authorization header is not a Bearer or DPoP token");
        assertInvalidToken(Http.client().get(api.url("/users/self"), "Authorization", "Bearer not a token"), INVALID);

        // The scheme is case-insensitive: the Unreal Engine plugin sends "bearer".
        for (String scheme : List.of("bearer", "BEARER", "BeArEr")) {
            Http.Response r = Http.client().get(api.url("/users/self"), "Authorization", scheme + " " + alice.token());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void anExpiredTokenIsInvalidEvenWhenCached(boolean jwt) {
        User user = server.createUser();
        TestClient client = server.client().owner(user).accessTokenTtl(Duration.ofMinutes(1)).create();
        String token = api.token(client, "", jwt);
        assertThat(api.get("/users/self", token).status()).isEqualTo(200);
        server.clock().advance(Duration.ofSeconds(61));
        assertInvalidToken(api.get("/users/self", token), INVALID);
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void broadcastingNeedsTheBroadcasterScope(boolean jwt) {
        Party alice = party("", jwt);
        String id = api.createChannel(api.token(alice.client(), "broadcaster", jwt), "Alice live");
        String lacks = "the access token lacks the broadcaster scope";
        Http.Response r = api.get("/channels/" + id + "/ingest", alice.token());
        assertApiError(r, 403, "insufficient_scope", lacks);
        assertThat(r.header("WWW-Authenticate")).hasValue("Bearer realm=\"castgate\", error=\"insufficient_scope\", error_description=\""
                + lacks + "\"");
        assertApiError(api.get("/channels/" + id + "/ingest.json", alice.token()), 403, "insufficient_scope", lacks);
        assertApiError(api.post("/channels/" + id + "/ingest/channel-key", Map.of(), alice.token()), 403, "insufficient_scope", lacks);
        assertApiError(api.get("/users/self/device-passwords", alice.token()), 403, "insufficient_scope", lacks);
        assertApiError(api.post("/users/self/device-passwords", Http.form("device_name", "cam", "valid_from", "0"), alice.token()),
                403, "insufficient_scope", lacks);
        assertApiError(api.delete("/users/self/device-passwords/dpnone", alice.token()), 403, "insufficient_scope", lacks);

        String broadcaster = api.token(alice.client(), "broadcaster", jwt);
        assertApiError(api.get("/channels/nosuch/ingest", broadcaster), 404, "not_found", "no such channel");
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void ingestGivesTheContractAndExtendsTheStreamingKey(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        String id = api.createChannel(alice.token(), "Alice live");
        Map<String, Object> first = api.ingest(id, alice.token());
        assertThat(first).containsOnlyKeys("rtmp_url", "rtmps_url", "stream_name", "channel_key", "streaming_key", "streaming_key_expires_in");
        assertThat(first).containsEntry("rtmp_url", "rtmp://127.0.0.1:1935/live").containsEntry("rtmps_url", "rtmps://127.0.0.1:443/live")
                .containsEntry("stream_name", id).containsEntry("streaming_key_expires_in", 600);
        assertThat((String) first.get("channel_key")).matches("[0-9a-f]{40}");
        assertThat((String) first.get("streaming_key")).matches("[0-9a-f]{40}").isNotEqualTo(first.get("channel_key"));

        server.clock().advance(Duration.ofMinutes(4));
        Map<String, Object> again = api.ingest(id, alice.token());
        assertThat(again.get("streaming_key")).isEqualTo(first.get("streaming_key"));
        assertThat(again.get("channel_key")).isEqualTo(first.get("channel_key"));
        assertThat(again).containsEntry("streaming_key_expires_in", 6 * 60 + 10 * 60);

        // However often it is asked for, the key runs at most an hour ahead.
        for (int i = 0; i < 8; i++) api.ingest(id, alice.token());
        assertThat(api.ingest(id + ".json", alice.token())).containsEntry("streaming_key_expires_in", 3600)
                .containsEntry("streaming_key", first.get("streaming_key"));

        // Once expired, the next request makes a new streaming key; the channel key stays.
        server.clock().advance(Duration.ofMinutes(61));
        Map<String, Object> renewed = api.ingest(id, alice.token());
        assertThat(renewed.get("streaming_key")).isNotEqualTo(first.get("streaming_key"));
        assertThat(renewed).containsEntry("channel_key", first.get("channel_key")).containsEntry("streaming_key_expires_in", 600);
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void theChannelKeyRotates(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        String id = api.createChannel(alice.token(), "Alice live");
        Map<String, Object> before = api.ingest(id, alice.token());
        Http.Response rotated = api.post("/channels/" + id + "/ingest/channel-key.json", Map.of(), alice.token());
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        Map<String, Object> after = rotated.json();
        assertThat(after.get("channel_key")).isNotEqualTo(before.get("channel_key"));
        assertThat(after.get("streaming_key")).isNotEqualTo(before.get("streaming_key"));
        assertThat(after).containsEntry("stream_name", id).containsEntry("streaming_key_expires_in", 600);
        assertThat(api.ingest(id, alice.token())).containsEntry("channel_key", after.get("channel_key"));
        assertThat(server.database().count("audit_events")).isPositive();
    }

    @ParameterizedTest(name = "jwt={0}")
    @ValueSource(booleans = {false, true})
    void devicePasswordsAreCreatedListedAndRemoved(boolean jwt) {
        Party alice = party("broadcaster", jwt);
        Party bob = party("broadcaster", jwt);
        Http.Response created = api.post("/users/self/device-passwords.json",
                Http.form("device_name", "Camera", "valid_from", "1000", "valid_until", "2000"), alice.token());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> body = created.json();
        assertThat(body).containsOnlyKeys("device_name", "user_name", "password", "valid_from", "valid_until")
                .containsEntry("device_name", "Camera").containsEntry("valid_from", 1000).containsEntry("valid_until", 2000);
        String userName = (String) body.get("user_name");
        assertThat((String) body.get("password")).matches("[0-9a-f]{40}");

        server.clock().advance(Duration.ofSeconds(1));
        Http.Response open = api.post("/users/self/device-passwords", Http.form("device_name", "Phone", "valid_from", "1000"), alice.token());
        assertThat(open.json()).containsEntry("valid_until", null);

        Http.Response list = api.get("/users/self/device-passwords", alice.token());
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> passwords = (List<Map<String, Object>>) list.json().get("device_passwords");
        assertThat(passwords).hasSize(2);
        assertThat(passwords.get(0)).isEqualTo(Map.of("device_name", "Camera", "user_name", userName, "valid_from", 1000, "valid_until", 2000));
        assertThat(list.body()).doesNotContain((String) body.get("password"));
        assertThat(api.get("/users/self/device-passwords.json", bob.token()).json()).isEqualTo(Map.of("device_passwords", List.of()));

        // Only its owner removes it.
        assertApiError(api.delete("/users/self/device-passwords/" + userName, bob.token()), 404, "not_found", "no such device password");
        assertThat(api.delete("/users/self/device-passwords/" + userName + ".json", alice.token()).status()).isEqualTo(204);
        assertApiError(api.delete("/users/self/device-passwords/" + userName, alice.token()), 404, "not_found", "no such device password");
        assertThat(api.get("/users/self/device-passwords", alice.token()).json().get("device_passwords")).asList().hasSize(1);
    }

    @Test
    void aClientWithoutAnOwnerOwnsNothing() {
        TestClient orphan = server.client().create();
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials",
                "scope", "broadcaster"), "Authorization", orphan.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String token = (String) r.json().get("access_token");
        for (String path : List.of("/users/self", "/users/self/channels", "/users/self/videos")) {
            assertApiError(api.get(path, token), 403, "lack_of_ownership", "the access token acts for no user");
        }
        assertApiError(api.post("/users/self/channels", Http.form("title", "x"), token), 403, "lack_of_ownership",
                "the access token acts for no user");
    }
}
