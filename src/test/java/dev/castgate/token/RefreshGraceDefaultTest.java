package dev.castgate.token;

import static dev.castgate.token.TokenRequests.INVALID_REFRESH;
import static dev.castgate.token.TokenRequests.REUSED_REFRESH;
import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.domain.Client;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default refresh grace window (issue 10, item 14): a client registered with
 * {@code castgate client add} and no {@code --refresh-grace} may retry a refresh whose answer was
 * lost and gets the same successor, so the grant lives on; after the window a second presentation
 * still revokes the whole grant; {@code --refresh-grace 0} keeps strict reuse detection.
 */
class RefreshGraceDefaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Tool tool;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
        token = new TokenRequests(server);
    }

    @Test
    void theDefaultIsThirtySeconds() {
        assertThat(Client.DEFAULT_REFRESH_GRACE).isEqualTo(Duration.ofSeconds(30));
        assertThat(register()).containsEntry("refresh_grace", 30);
    }

    @Test
    void aRetryWithinTheDefaultWindowGetsTheSameSuccessorAndTheGrantLives() {
        User user = server.createUser();
        TestClient client = client(register());
        Map<String, Object> first = token.tokens(client, user, "openid");

        // The first answer is lost; the client sends the same refresh token again.
        Map<String, Object> lost = ok(refresh(client, first.get("refresh_token")));
        server.clock().advance(Client.DEFAULT_REFRESH_GRACE.minusSeconds(1));
        Map<String, Object> retry = ok(refresh(client, first.get("refresh_token")));

        assertThat(retry.get("refresh_token")).isEqualTo(lost.get("refresh_token"));
        assertThat(retry.get("access_token")).isNotEqualTo(lost.get("access_token"));
        for (Map<String, Object> issued : List.of(first, lost, retry)) {
            assertThat(token.userinfo(issued.get("access_token")).status()).isEqualTo(200);
        }
        // One chain: the successor goes on, and the old token is spent.
        Map<String, Object> next = ok(refresh(client, retry.get("refresh_token")));
        assertThat(next.get("refresh_token")).isNotIn(first.get("refresh_token"), lost.get("refresh_token"));
        assertThat(token.userinfo(next.get("access_token")).status()).isEqualTo(200);
    }

    @Test
    void reuseAfterTheDefaultWindowRevokesTheGrant() {
        User user = server.createUser();
        TestClient client = client(register());
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = ok(refresh(client, first.get("refresh_token")));
        server.clock().advance(Client.DEFAULT_REFRESH_GRACE);

        assertBadRequest(refresh(client, first.get("refresh_token")), "invalid_grant", REUSED_REFRESH);

        assertBadRequest(refresh(client, second.get("refresh_token")), "invalid_grant", INVALID_REFRESH);
        assertThat(token.userinfo(second.get("access_token")).status()).isEqualTo(401);
        assertThat(token.userinfo(first.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void anExplicitZeroKeepsStrictReuseDetection() {
        User user = server.createUser();
        Map<String, Object> registered = register("--refresh-grace", "0");
        assertThat(registered).containsEntry("refresh_grace", 0);
        TestClient client = client(registered);
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = ok(refresh(client, first.get("refresh_token")));

        assertBadRequest(refresh(client, first.get("refresh_token")), "invalid_grant", REUSED_REFRESH);

        assertBadRequest(refresh(client, second.get("refresh_token")), "invalid_grant", INVALID_REFRESH);
        assertThat(token.userinfo(second.get("access_token")).status()).isEqualTo(401);
    }

    /** {@code castgate client add} on the server's database, with only what a web client needs plus {@code extra}. */
    private static Map<String, Object> register(String... extra) {
        List<String> args = new ArrayList<>(List.of("client", "add", "--name", "Default grace app", "--type", "web",
                "--redirect-uri", "http://127.0.0.1:9/callback", "--json"));
        args.addAll(List.of(extra));
        Tool.Run run = tool.run(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        try {
            return JSON.readValue(run.out(), new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            throw new AssertionError(run.out(), e);
        }
    }

    private static TestClient client(Map<String, Object> registered) {
        return new TestClient((String) registered.get("client_id"), (String) registered.get("client_secret"),
                "http://127.0.0.1:9/callback", (String) registered.get("name"));
    }

    private static Http.Response refresh(TestClient client, Object refreshToken) {
        return Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "refresh_token", "refresh_token", (String) refreshToken), "Authorization", client.basic());
    }

    private static Map<String, Object> ok(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
