package dev.castgate.token;

import static dev.castgate.token.TokenRequests.INVALID_REFRESH;
import static dev.castgate.token.TokenRequests.REUSED_REFRESH;
import static dev.castgate.token.TokenRequests.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The refresh grace window: a retry of a rotated refresh token within the client's window gets a
 * new access token and the same successor refresh token; after the window, or with none, reuse
 * revokes the grant. Also under concurrency: on one server, and on two server processes sharing
 * one database.
 */
class RefreshGraceTest {

    @CastgateServer static TestServer server;
    static TokenRequests token;

    @BeforeAll
    static void setUp() {
        token = new TokenRequests(server);
    }

    @Test
    void aRetryWithinTheWindowGetsANewAccessTokenAndTheSameSuccessor() {
        User user = server.createUser();
        TestClient client = server.client().refreshGrace(Duration.ofSeconds(30)).create();
        Map<String, Object> first = token.tokens(client, user, "openid");

        Map<String, Object> second = ok(refresh(server, client, first.get("refresh_token")));
        server.clock().advance(Duration.ofSeconds(29));
        Map<String, Object> retry = ok(refresh(server, client, first.get("refresh_token")));

        assertThat(retry).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token")
                .containsEntry("refresh_token", second.get("refresh_token")).containsEntry("scope", "openid");
        assertThat(retry.get("access_token")).isNotEqualTo(second.get("access_token"));
        for (Map<String, Object> issued : List.of(first, second, retry)) {
            assertThat(token.userinfo(issued.get("access_token")).status()).isEqualTo(200);
        }
        // The chain goes on from the one successor.
        Map<String, Object> third = ok(refresh(server, client, second.get("refresh_token")));
        assertThat(third.get("refresh_token")).isNotIn(first.get("refresh_token"), second.get("refresh_token"));
        assertThat(token.userinfo(third.get("access_token")).status()).isEqualTo(200);
    }

    @Test
    void aRetryMayNarrowButNotWidenTheScope() {
        User user = server.createUser();
        TestClient client = server.client().refreshGrace(Duration.ofSeconds(30)).create();
        Map<String, Object> first = token.tokens(client, user, "openid email");
        Map<String, Object> second = ok(refresh(server, client, first.get("refresh_token")));

        assertBadRequest(refresh(server, client, first.get("refresh_token"), "openid broadcaster"),
                "invalid_scope", "the refresh token does not cover: broadcaster");
        Map<String, Object> narrowed = ok(refresh(server, client, first.get("refresh_token"), "email"));
        assertThat(narrowed).containsEntry("scope", "email").containsEntry("refresh_token", second.get("refresh_token"))
                .doesNotContainKey("id_token");
    }

    @Test
    void reuseAfterTheWindowRevokesTheGrant() {
        User user = server.createUser();
        TestClient client = server.client().refreshGrace(Duration.ofSeconds(30)).create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = ok(refresh(server, client, first.get("refresh_token")));
        server.clock().advance(Duration.ofSeconds(30));

        assertBadRequest(refresh(server, client, first.get("refresh_token")), "invalid_grant", REUSED_REFRESH);

        assertBadRequest(refresh(server, client, second.get("refresh_token")), "invalid_grant", INVALID_REFRESH);
        assertThat(token.userinfo(second.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void aRetryAfterTheSuccessorWasUsedIsReuse() {
        User user = server.createUser();
        TestClient client = server.client().refreshGrace(Duration.ofSeconds(60)).create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = ok(refresh(server, client, first.get("refresh_token")));
        Map<String, Object> third = ok(refresh(server, client, second.get("refresh_token")));

        assertBadRequest(refresh(server, client, first.get("refresh_token")), "invalid_grant", REUSED_REFRESH);
        assertThat(token.userinfo(third.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void anotherClientGetsNoGrace() {
        User user = server.createUser();
        TestClient client = server.client().refreshGrace(Duration.ofSeconds(30)).create();
        TestClient other = server.client().refreshGrace(Duration.ofSeconds(30)).create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = ok(refresh(server, client, first.get("refresh_token")));

        assertBadRequest(refresh(server, other, first.get("refresh_token")), "invalid_grant", INVALID_REFRESH);
        assertThat(token.userinfo(second.get("access_token")).status()).isEqualTo(200);
    }

    @Test
    void withoutAWindowASecondUseAtTheSameInstantIsReuse() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");
        Map<String, Object> second = ok(refresh(server, client, first.get("refresh_token")));

        assertBadRequest(refresh(server, client, first.get("refresh_token")), "invalid_grant", REUSED_REFRESH);
        assertThat(token.userinfo(second.get("access_token")).status()).isEqualTo(401);
    }

    @Test
    void twoConcurrentRequestsWithAWindowBothSucceedWithOneSuccessor() {
        User user = server.createUser();
        TestClient client = server.client().refreshGrace(Duration.ofSeconds(30)).create();
        Map<String, Object> first = token.tokens(client, user, "openid");

        List<Http.Response> responses = race(client, first.get("refresh_token"), server::url, server::url);

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
        Map<String, Object> a = responses.get(0).json();
        Map<String, Object> b = responses.get(1).json();
        assertThat(a.get("refresh_token")).isEqualTo(b.get("refresh_token"));
        assertThat(a.get("access_token")).isNotEqualTo(b.get("access_token"));
        assertThat(token.userinfo(a.get("access_token")).status()).isEqualTo(200);
        assertThat(token.userinfo(b.get("access_token")).status()).isEqualTo(200);
        assertThat(ok(refresh(server, client, a.get("refresh_token")))).containsKey("refresh_token");
    }

    @Test
    void twoConcurrentRequestsWithoutAWindowEndTheGrant() {
        User user = server.createUser();
        TestClient client = server.client().create();
        Map<String, Object> first = token.tokens(client, user, "openid");

        List<Http.Response> responses = race(client, first.get("refresh_token"), server::url, server::url);

        assertExactlyOneWonAndTheGrantEnded(client, responses, server::url);
    }

    @Test
    void twoServerProcessesWithAWindowBothSucceedWithOneSuccessor() {
        try (ServerProcess second = ServerProcess.startBeside(server)) {
            syncClockWithTheSecondNode();
            User user = server.createUser();
            TestClient client = server.client().refreshGrace(Duration.ofSeconds(30)).create();
            Map<String, Object> first = token.tokens(client, user, "openid");

            List<Http.Response> responses = race(client, first.get("refresh_token"), server::url, second::url);

            assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
            Map<String, Object> a = responses.get(0).json();
            Map<String, Object> b = responses.get(1).json();
            assertThat(a.get("refresh_token")).isEqualTo(b.get("refresh_token"));
            // Both access tokens are good on both nodes, and the one successor goes on, on either node.
            for (Map<String, Object> issued : List.of(a, b)) {
                assertThat(Http.client().get(server.url("/oauth2/userinfo"), "Authorization", "Bearer " + issued.get("access_token")).status()).isEqualTo(200);
                assertThat(Http.client().get(second.url("/oauth2/userinfo"), "Authorization", "Bearer " + issued.get("access_token")).status()).isEqualTo(200);
            }
            Map<String, Object> next = ok(Http.client().postForm(second.url("/oauth2/token"),
                    Http.form("grant_type", "refresh_token", "refresh_token", (String) a.get("refresh_token")), "Authorization", client.basic()));
            assertThat(ok(refresh(server, client, next.get("refresh_token")))).containsKey("access_token");
        }
    }

    @Test
    void twoServerProcessesWithoutAWindowEndTheGrant() {
        try (ServerProcess second = ServerProcess.startBeside(server)) {
            syncClockWithTheSecondNode();
            User user = server.createUser();
            TestClient client = server.client().create();
            Map<String, Object> first = token.tokens(client, user, "openid");

            List<Http.Response> responses = race(client, first.get("refresh_token"), server::url, second::url);

            assertExactlyOneWonAndTheGrantEnded(client, responses, second::url);
        }
    }

    /** The second node runs on the real clock; the test's clock is set to it so the window means the same on both. */
    private static void syncClockWithTheSecondNode() {
        Duration behind = Duration.between(server.clock().instant(), Instant.now());
        if (!behind.isNegative()) server.clock().advance(behind);
    }

    private static void assertExactlyOneWonAndTheGrantEnded(TestClient client, List<Http.Response> responses, Function<String, String> otherNode) {
        assertThat(responses).extracting(Http.Response::status).containsExactlyInAnyOrder(200, 400);
        Http.Response won = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        Http.Response lost = responses.stream().filter(r -> r.status() == 400).findFirst().orElseThrow();
        assertBadRequest(lost, "invalid_grant", REUSED_REFRESH);
        Map<String, Object> winner = won.json();
        assertThat(Http.client().get(otherNode.apply("/oauth2/userinfo"), "Authorization", "Bearer " + winner.get("access_token")).status())
                .isEqualTo(401);
        assertThat(token.userinfo(winner.get("access_token")).status()).isEqualTo(401);
        assertBadRequest(refresh(server, client, winner.get("refresh_token")), "invalid_grant", INVALID_REFRESH);
    }

    /** Sends the same refresh request to two base URLs at once, released together by a latch; bounded waits. */
    private static List<Http.Response> race(TestClient client, Object refreshToken, Function<String, String> nodeA, Function<String, String> nodeB) {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch ready = new CountDownLatch(2);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Http.Response>> futures = List.of(nodeA, nodeB).stream().map(node -> CompletableFuture.supplyAsync(() -> {
                ready.countDown();
                try {
                    if (!go.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("not released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return Http.client().postForm(node.apply("/oauth2/token"),
                        Http.form("grant_type", "refresh_token", "refresh_token", (String) refreshToken), "Authorization", client.basic());
            }, pool)).toList();
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            return futures.stream().map(f -> f.orTimeout(60, TimeUnit.SECONDS).join()).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Http.Response refresh(TestServer on, TestClient client, Object refreshToken) {
        return refresh(on, client, refreshToken, null);
    }

    private static Http.Response refresh(TestServer on, TestClient client, Object refreshToken, String scope) {
        Map<String, String> form = Http.form("grant_type", "refresh_token", "refresh_token", (String) refreshToken);
        if (scope != null) form.put("scope", scope);
        return Http.client().postForm(on.url("/oauth2/token"), form, "Authorization", client.basic());
    }

    private static Map<String, Object> ok(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        return response.json();
    }
}
