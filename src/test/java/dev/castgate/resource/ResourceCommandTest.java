package dev.castgate.resource;

import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code castgate resource add | list | remove}: what it prints, its refusals, its audit events, and that the server takes its changes. */
class ResourceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Tool tool;
    static TestClient client;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
        client = server.client().owner(server.createUser()).create();
    }

    @Test
    void addListRemoveAndTheServerFollows() {
        String uri = "https://media.example/v1";
        Tool.Run added = tool.run("resource", "add", uri, "--name", "Media API", "--scopes", "broadcaster,profile");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).isEqualTo("added resource " + uri + " (scopes: broadcaster,profile)" + System.lineSeparator());
        // Known at once: the server reads the registry again on a miss.
        Http.Response token = clientCredentials(uri);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(JwtClaims.of((String) token.json().get("access_token"))).containsEntry("aud", uri);

        List<Map<String, Object>> listed = json(tool.run("resource", "list", "--json"));
        assertThat(listed.get(0)).containsEntry("uri", server.issuer() + "/api").containsEntry("name", "Streaming API")
                .containsEntry("scopes", null).containsEntry("built_in", true);
        assertThat(listed).anySatisfy(r -> assertThat(r).containsEntry("uri", uri).containsEntry("name", "Media API")
                .containsEntry("scopes", List.of("broadcaster", "profile")).containsEntry("built_in", false));
        Tool.Run table = tool.run("resource", "list");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).startsWith("URI ").contains(server.issuer() + "/api").contains(uri).contains("broadcaster,profile");

        Tool.Run removed = tool.run("resource", "remove", uri);
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out()).isEqualTo("removed resource " + uri + System.lineSeparator());
        // PostgreSQL tells every node at once; SQLite's nodes forget the registry within its TTL.
        server.clock().advance(ResourceRegistry.TTL.plus(Duration.ofSeconds(1)));
        assertBadRequest(clientCredentials(uri), "invalid_target", "the resource " + uri + " is unknown");

        Tool.Run again = tool.run("resource", "remove", uri);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("castgate: no resource " + uri + System.lineSeparator());

        // Both changes are audited, naming the resource.
        List<String> events = tool.run("audit", "list", "--json", "--since", "1h").out().lines()
                .filter(line -> line.contains("resource " + uri)).toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).contains("\"event\":\"resource_removed\"");
        assertThat(events.get(1)).contains("\"event\":\"resource_added\"", "scopes broadcaster profile");
    }

    @Test
    void refusals() {
        assertRefused(tool.run("resource", "add", "/relative", "--name", "R"), "castgate: a resource URI must be absolute, with a scheme such as https:");
        assertRefused(tool.run("resource", "add", "https://x.example/#frag", "--name", "R"),
                "castgate: a resource URI must not have a fragment (RFC 8707 §2)");
        assertRefused(tool.run("resource", "add", server.issuer() + "/api", "--name", "R"),
                "castgate: " + server.issuer() + "/api is the Streaming API, which is always known");
        assertRefused(tool.run("resource", "add", "https://y.example/", "--name", "R", "--scopes", "root"),
                "castgate: unknown scope root; known: openid, profile, email, broadcaster");
        assertThat(tool.run("resource", "add", "https://z.example/", "--name", "Z").exit()).isZero();
        assertRefused(tool.run("resource", "add", "https://z.example/", "--name", "Z again"), "castgate: a resource https://z.example/ is registered already");
        assertRefused(tool.run("resource", "remove", server.issuer() + "/api"),
                "castgate: " + server.issuer() + "/api is the Streaming API, which cannot be removed");
        // Usage errors are picocli's: exit 2.
        Tool.Run noName = tool.run("resource", "add", "https://w.example/");
        assertThat(noName.exit()).isEqualTo(2);
        assertThat(noName.err()).contains("Missing required option: '--name=NAME'");
    }

    @Test
    void helpDescribesEachCommand() {
        for (List<String> command : List.of(List.of("resource", "--help"), List.of("resource", "add", "--help"),
                List.of("resource", "list", "--help"), List.of("resource", "remove", "--help"))) {
            Tool.Run run = tool.run(command.toArray(String[]::new));
            assertThat(run.exit()).as(command.toString()).isZero();
            assertThat(run.out()).as(command.toString()).startsWith("Usage: castgate " + String.join(" ", command.subList(0, command.size() - 1)));
        }
        assertThat(tool.run("resource", "add", "--help").out()).contains("--name", "--scopes");
    }

    private static Http.Response clientCredentials(String resource) {
        return Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials", "token_type", "jwt",
                "resource", resource), "Authorization", client.basic());
    }

    private static void assertRefused(Tool.Run run, String message) {
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.err()).isEqualTo(message + System.lineSeparator());
    }

    private static List<Map<String, Object>> json(Tool.Run run) {
        assertThat(run.exit()).as(run.err()).isZero();
        try {
            return JSON.readValue(run.out(), new TypeReference<>() {});
        } catch (Exception e) {
            throw new AssertionError(run.out(), e);
        }
    }
}
