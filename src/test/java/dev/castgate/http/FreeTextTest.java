package dev.castgate.http;

import static dev.castgate.api.ApiCalls.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.api.ApiCalls;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Free text stops at the edge when it cannot be kept (security review §3): a NUL character, any
 * other control character outside a multi-line field, or more characters than its column holds is
 * a 400 naming the parameter, on both databases. PostgreSQL refuses a NUL in text and enforces
 * {@code varchar(n)}, so these were 500s there; SQLite stored them.
 */
class FreeTextTest {
    @CastgateServer static TestServer server;
    @TempDir static Path dir;
    static ApiCalls api;
    static User user;
    static String token;

    @BeforeAll
    static void setUp() {
        api = new ApiCalls(server);
        user = server.createUser();
        token = api.token(api.clientOf(user), "broadcaster", false);
    }

    // ---- the Streaming API

    @Test
    void aChannelsTitleIsOneLineAndItsDescriptionMayHaveSeveral() {
        assertApiError(api.post("/users/self/channels", Http.form("title", "a\u0000b"), token), 400, "invalid_request",
                "title must not contain control characters");
        assertApiError(api.post("/users/self/channels", Http.form("title", "first\nsecond"), token), 400, "invalid_request",
                "title must not contain control characters");
        assertApiError(api.post("/users/self/channels", Http.form("title", "Show", "description", "a\u0000b"), token), 400,
                "invalid_request", "description must not contain control characters other than tabs and line breaks");
        assertApiError(api.post("/users/self/channels", Http.form("title", "Show", "description", "a\u001bb"), token), 400,
                "invalid_request", "description must not contain control characters other than tabs and line breaks");

        String description = "First line\r\nsecond line\twith a tab";
        Http.Response created = api.post("/users/self/channels", Http.form("title", "Show", "description", description), token);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) ((Map<?, ?>) created.json().get("channel")).get("id");
        assertThat(((Map<?, ?>) api.get("/channels/" + id, token).json().get("channel")).get("description")).isEqualTo(description);
    }

    @Test
    void titlesAndDescriptionsAreCountedInCharactersAsTheirColumnsCountThem() {
        // 200 characters outside the Basic Multilingual Plane: 400 UTF-16 units, and they fit varchar(200).
        String wide = "\uD83C\uDFA5".repeat(200);
        Http.Response created = api.post("/users/self/channels", Http.form("title", wide, "description", "\uD83C\uDFA5".repeat(4000)), token);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertApiError(api.post("/users/self/channels", Http.form("title", wide + "x"), token), 400, "invalid_request",
                "title is longer than 200 characters");
    }

    @Test
    void renamingAChannelOrAVideoTakesTheSameRules() {
        String channel = api.createChannel(token, "Renamed");
        String video = api.insertVideo(channel, user, "Episode");
        for (String path : new String[] {"/channels/" + channel, "/videos/" + video}) {
            assertApiError(api.put(path, Http.form("title", "x\u0000"), token), 400, "invalid_request",
                    "title must not contain control characters");
            assertApiError(api.put(path, Http.form("description", "x\u0000"), token), 400, "invalid_request",
                    "description must not contain control characters other than tabs and line breaks");
            Http.Response changed = api.put(path, Http.form("description", "one\ntwo"), token);
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        }
    }

    @Test
    void aDevicePasswordsNameHasNoControlCharacters() {
        assertApiError(api.post("/users/self/device-passwords", Http.form("device_name", "cam\u0000era", "valid_from", "0"), token), 400,
                "invalid_request", "device_name must not contain control characters");
        assertApiError(api.post("/users/self/device-passwords", Http.form("device_name", "cam\tera", "valid_from", "0"), token), 400,
                "invalid_request", "device_name must not contain control characters");
    }

    @Test
    void thePublishCheckRefusesControlCharactersInAnyFieldItReads() {
        for (String field : new String[] {"name", "key", "user", "pass", "addr"}) {
            Map<String, String> form = new LinkedHashMap<>(Http.form("call", "publish", "app", "live", "name", "stream", "key", "k"));
            form.put(field, "a\u0000b");
            Http.Response r = Http.client().postForm(api.url("/broadcast/on_publish"), form);
            assertApiError(r, 400, "invalid_request", field + " must not contain control characters");
        }
    }

    // ---- the OAuth endpoints

    @Test
    void aNonceWithANulIsAnErrorRedirect() {
        TestClient client = server.client().create();
        Http.Response r = authorize(client, client.redirectUri(), "nonce", "n\u0000once");
        assertRedirectError(r, client.redirectUri(), "nonce must not contain control characters", "s1");
        assertRedirectError(authorize(client, client.redirectUri(), "nonce", "n".repeat(501)), client.redirectUri(),
                "nonce is longer than 500 characters", "s1");
    }

    @Test
    void eachAuthorizationParameterIsOneLine() {
        TestClient client = server.client().create();
        for (String name : new String[] {"login_hint", "scope", "prompt", "code_challenge", "device_name", "max_age"}) {
            assertRedirectError(authorize(client, client.redirectUri(), name, "x\u0000"), client.redirectUri(),
                    name + " must not contain control characters", "s1");
        }
    }

    @Test
    void aStateThatCannotBeEchoedIsRefusedWithoutIt() {
        TestClient client = server.client().create();
        Http.Response r = Http.browser().get(server.url("/authorize") + "?" + Http.encode(Http.form("client_id", client.id(),
                "redirect_uri", client.redirectUri(), "response_type", "code", "state", "s\u0000")));
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.locationParams()).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "state must not contain control characters").doesNotContainKey("state");
    }

    @Test
    void aPrefixMatchedRedirectUriLongerThanItsColumnIsNotRegistered() {
        TestClient client = server.client().prefixRedirectMatch().redirectUris("https://legacy.example/cb").create();
        String longer = "https://legacy.example/cb/" + "a".repeat(2000);
        Http.Response page = Http.browser().get(server.url("/authorize") + "?" + Http.encode(Http.form("client_id", client.id(),
                "redirect_uri", longer, "response_type", "code")));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.header("Location")).isEmpty();
        assertThat(page.body()).contains("The application asked to return to an address it has not registered.");
    }

    @Test
    void thePasswordGrantRefusesAUsernameWithAControlCharacter() {
        TestClient client = server.client().allowPassword().create();
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "password", "username", user.username() + "\u0000", "password", TestServer.PASSWORD),
                "Authorization", client.basic());
        assertApiError(r, 400, "invalid_request", "username must not contain control characters");
        // A password is only hashed: any character may be in one, as on the sign-in page.
        Http.Response wrong = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "password", "username", user.username(), "password", "pass\u0000word\u0001"),
                "Authorization", client.basic());
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(400);
        assertThat(wrong.json()).containsEntry("error", "invalid_grant");
    }

    @Test
    void theTokenEndpointNamesTheParameter() {
        TestClient client = server.client().grants(GrantType.CLIENT_CREDENTIALS).create();
        assertApiError(Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials", "scope", "a\u0000"),
                "Authorization", client.basic()), 400, "invalid_request", "scope must not contain control characters");
    }

    // ---- the command-line tool

    @Test
    void theToolRefusesAClientNameOrRedirectUriThatCannotBeKept() {
        Tool tool = Tool.forServer(server, dir);
        for (String name : new String[] {"App\u0000", "App\u0001", "App\nnext line"}) {
            Tool.Run run = tool.run("client", "add", "--name", name, "--type", "web", "--redirect-uri", "https://app.example/cb");
            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("castgate: the name must be 1 to 200 characters, without control characters"
                    + System.lineSeparator());
        }
        String longUri = "https://app.example/" + "a".repeat(1981);
        Tool.Run tooLong = tool.run("client", "add", "--name", "App", "--type", "web", "--redirect-uri", longUri);
        assertThat(tooLong.exit()).as(tooLong.err()).isEqualTo(1);
        assertThat(tooLong.err()).isEqualTo("castgate: a redirect URI must be at most 2000 characters" + System.lineSeparator());

        String[] many = {"client", "add", "--name", "App", "--type", "web"};
        List<String> args = new ArrayList<>(List.of(many));
        for (int i = 0; i < 5; i++) args.addAll(List.of("--redirect-uri", "https://app.example/" + i + "a".repeat(1900)));
        Tool.Run tooMany = tool.run(args.toArray(String[]::new));
        assertThat(tooMany.exit()).as(tooMany.err()).isEqualTo(1);
        assertThat(tooMany.err()).isEqualTo("castgate: the redirect URIs together must be at most 8000 characters" + System.lineSeparator());
    }

    private static Http.Response authorize(TestClient client, String redirectUri, String name, String value) {
        Map<String, String> params = Http.form("client_id", client.id(), "redirect_uri", redirectUri, "response_type", "code",
                "state", "s1");
        params.put(name, value);
        return Http.browser().get(server.url("/authorize") + "?" + Http.encode(params));
    }

    private static void assertRedirectError(Http.Response r, String redirectUri, String description, String state) {
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        assertThat(r.location()).startsWith(redirectUri + "?");
        assertThat(r.locationParams()).containsEntry("error", "invalid_request").containsEntry("error_description", description)
                .containsEntry("state", state);
    }
}
