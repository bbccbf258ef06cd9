package dev.castgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.ChildProcesses;
import dev.castgate.testing.HtmlForms;
import dev.castgate.testing.Http;
import dev.castgate.testing.JwtClaims;
import dev.castgate.testing.NginxInFront;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import dev.castgate.testing.Urls;
import dev.castgate.token.TokenRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two nodes on one PostgreSQL behind the nginx the README ships ({@code deploy/nginx.conf}, run on
 * loopback with a certificate made for the run), used as a deployment is: every request goes to
 * nginx's https address, which is the nodes' issuer, and nginx picks the node. nginx passes
 * requests to the nodes in turn, so a request the test sends that changes nothing steers the next
 * one to the node it wants; each answer says which node gave it. The last test kills a node.
 */
@Tag("postgresql-only")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesBehindNginxTest {
    /** The failed share of the kill, reported in the test's log. */
    private static final Logger LOG = LoggerFactory.getLogger(TwoNodesBehindNginxTest.class);
    /** The README's bound for a change at one node to hold at the others, on PostgreSQL. */
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final String VERIFIER = "a-code-verifier-of-the-two-nodes-test-0123456789";

    /** Makes and migrates the database, and holds the fixtures; its own port is not behind nginx. */
    @CastgateServer static TestServer database;
    private static ServerProcess nodeA;
    private static ServerProcess nodeB;
    private static NginxInFront nginx;

    @BeforeAll
    static void startTwoNodesBehindNginx() {
        NginxInFront.requireInstalled();
        int httpsPort = ChildProcesses.freePort();
        // What the shipped file's header asks of every node: the https issuer and nginx as a trusted proxy.
        Map<String, String> behindNginx = Map.of("CASTGATE_ISSUER", "https://127.0.0.1:" + httpsPort,
                "CASTGATE_HTTP_TRUSTED_PROXIES", "127.0.0.1");
        nodeA = ServerProcess.startBeside(database, behindNginx);
        nodeB = ServerProcess.startBeside(database, behindNginx);
        nginx = NginxInFront.start(httpsPort, List.of(nodeA.address(), nodeB.address()));
    }

    @AfterAll
    static void stop() {
        if (nginx != null) nginx.close();
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
    }

    @Test
    @Order(1)
    void nginxSpreadsRequestsOverBothNodesAndNamesEachRequest() {
        Set<String> nodes = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
            Http.Response ready = nginx.client().get(nginx.url("/health/ready"), "X-Request-Id", "chosen-by-the-client");
            assertThat(ready.status()).isEqualTo(200);
            // nginx replaces a client's request id with its own, and the node keeps that one: it comes from a trusted proxy.
            assertThat(ready.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
            nodes.add(node(ready));
        }
        assertThat(nodes).containsExactlyInAnyOrder(nodeA.address(), nodeB.address());

        Http.Response plain = nginx.client().get(nginx.httpUrl("/health/ready"));
        assertThat(plain.status()).isEqualTo(301);
        assertThat(plain.location()).isEqualTo("https://127.0.0.1/health/ready");
    }

    @Test
    @Order(2)
    void signInAtOneNodeTokenAtTheOtherAndRefreshesAlternatingNodes() {
        User user = database.createUser();
        TestClient client = database.client().create();
        Http browser = nginx.browser();
        Map<String, String> request = Http.form("response_type", "code", "client_id", client.id(), "redirect_uri", client.redirectUri(),
                "scope", "openid", "state", "st-1", "nonce", "n-1", "code_challenge", TokenRequests.s256(VERIFIER), "code_challenge_method", "S256");
        Http.Response login = browser.get(Urls.withQuery(nginx.url("/authorize"), request));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        Http.Response consent = submit(browser, login, Http.form("username", user.username(), "password", TestServer.PASSWORD));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        String signedInAt = node(consent);
        // The consent goes to the other node, which finds the session the first one made.
        Http.Response redirect = submit(browser, consent, Http.form("decision", "allow"));
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(303);
        assertThat(node(redirect)).isNotEqualTo(signedInAt);
        Map<String, String> answer = redirect.locationParams();
        assertThat(answer).containsEntry("state", "st-1").containsEntry("iss", nginx.issuer());

        Http.Response token = atTheNodeOtherThan(signedInAt, () -> nginx.client().postForm(nginx.url("/oauth2/token"),
                Http.form("grant_type", "authorization_code", "code", answer.get("code"), "redirect_uri", client.redirectUri(),
                        "code_verifier", VERIFIER), "Authorization", client.basic()));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(JwtClaims.of((String) token.json().get("id_token"))).containsEntry("iss", nginx.issuer()).containsEntry("nonce", "n-1");

        // Each refresh at the node the previous one did not use; each rotates the token the other node issued.
        String refreshToken = (String) token.json().get("refresh_token");
        String accessToken = (String) token.json().get("access_token");
        String previousNode = node(token);
        for (int i = 0; i < 6; i++) {
            String presented = refreshToken;
            Http.Response refreshed = atTheNodeOtherThan(previousNode, () -> nginx.client().postForm(nginx.url("/oauth2/token"),
                    Http.form("grant_type", "refresh_token", "refresh_token", presented), "Authorization", client.basic()));
            assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
            assertThat(refreshed.json().get("refresh_token")).isNotEqualTo(presented);
            refreshToken = (String) refreshed.json().get("refresh_token");
            accessToken = (String) refreshed.json().get("access_token");
            previousNode = node(refreshed);
        }
        for (ServerProcess node : List.of(nodeA, nodeB)) {
            assertThat(Http.client().get(node.url("/oauth2/userinfo"), "Authorization", "Bearer " + accessToken).json())
                    .containsEntry("sub", user.id().value());
        }
    }

    @Test
    @Order(3)
    void aTokenRevokedThroughOneNodeIsRefusedAtBothWithinASecond() {
        User user = database.createUser();
        TestClient client = database.client().owner(user).create();
        Http.Response issued = nginx.client().postForm(nginx.url("/oauth2/token"), Http.form("grant_type", "client_credentials"),
                "Authorization", client.basic());
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        String token = (String) issued.json().get("access_token");
        // Cached by both nodes' Streaming API.
        for (ServerProcess node : List.of(nodeA, nodeB)) {
            assertThat(Http.client().get(node.url("/api/users/self.json"), bearer(token)).status()).isEqualTo(200);
        }

        Http.Response revoked = nginx.client().postForm(nginx.url("/oauth2/revoke"), Http.form("token", token), "Authorization", client.basic());
        assertThat(revoked.status()).isEqualTo(200);

        for (ServerProcess node : List.of(nodeA, nodeB)) {
            await().atMost(WITHIN).pollInterval(Duration.ofMillis(20))
                    .until(() -> Http.client().get(node.url("/api/users/self.json"), bearer(token)).status() == 401);
            assertThat(Http.client().get(node.url("/oauth2/userinfo"), bearer(token)).status()).isEqualTo(401);
            assertThat(Http.client().postForm(node.url("/oauth2/introspect"), Http.form("token", token), "Authorization", client.basic())
                    .body()).isEqualTo("{\"active\":false}");
        }
    }

    @Test
    @Order(4)
    void aClientRemovedIsRefusedByBothNodesWithinASecond(@TempDir Path dir) {
        TestClient client = database.client().create();
        // Both nodes hold the client in their caches.
        for (ServerProcess node : List.of(nodeA, nodeB)) assertThat(clientCredentials(node, client).status()).isEqualTo(200);

        Tool.Run removed = Tool.forServer(database, dir).run("client", "remove", client.id());
        assertThat(removed.exit()).as(removed.err()).isZero();

        for (ServerProcess node : List.of(nodeA, nodeB)) {
            await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> clientCredentials(node, client).status() == 401);
        }
    }

    /**
     * Token requests (POST) from 6 clients and Streaming API reads (GET) from 2 more, at once, with
     * node B killed (SIGKILL) once each node has answered 100 token requests. nginx sends no POST
     * twice once a node has it, so only the token requests B was working on when it died may fail; a GET it was
     * working on nginx passes on to A. Every request after that goes to A, directly or after nginx
     * found B refusing the connection. Every token answered 200 is kept, B's last ones included.
     */
    @Test
    @Order(5)
    void oneNodeKilledUnderLoadCostsOnlyTheTokenRequestsItHeld() throws Exception {
        User owner = database.createUser();
        TestClient client = database.client().owner(owner).create();
        Http.Response issued = clientCredentials(nodeA, client);
        assertThat(issued.status()).isEqualTo(200);
        String readToken = (String) issued.json().get("access_token");
        int tokenWorkers = 6;
        int readWorkers = 2;
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < tokenWorkers + readWorkers; w++) {
            Http http = nginx.client();
            boolean reads = w >= tokenWorkers;
            threads.add(Thread.ofVirtual().start(() -> {
                while (!stop.get() && outcomes.size() < 50_000) {
                    outcomes.add(reads ? read(http, readToken) : tokenRequest(http, client));
                }
            }));
        }
        // Under load until each node has answered 100 token requests, then B dies; the load goes on until
        // 200 requests that started a second after B was gone have been answered.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> List.copyOf(outcomes).stream()
                .filter(o -> o.status == 200 && o.method.equals("POST")).collect(Collectors.groupingBy(o -> o.node, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() >= 100).count() == 2);
        long killed = System.nanoTime();
        nodeB.kill();
        long gone = System.nanoTime();
        long settled = gone + Duration.ofSeconds(1).toNanos();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> List.copyOf(outcomes).stream().filter(o -> o.started > settled).count() >= 200);
        stop.set(true);
        for (Thread t : threads) t.join(Duration.ofSeconds(40));

        List<Outcome> all = List.copyOf(outcomes);
        List<Outcome> tokens = all.stream().filter(o -> o.method.equals("POST")).toList();
        List<Outcome> reads = all.stream().filter(o -> o.method.equals("GET")).toList();
        List<Outcome> failed = all.stream().filter(o -> o.status != 200).toList();
        LOG.info(String.format("Two nodes behind nginx, one killed under load, in %.1f s: %d token requests (POST), %d failed (%.3f %%: %s); "
                        + "%d reads (GET), %d failed; %d requests passed on by nginx from the dead node to the live one",
                (System.nanoTime() - start) / 1e9, tokens.size(), failed.stream().filter(tokens::contains).count(),
                100.0 * failed.stream().filter(tokens::contains).count() / tokens.size(),
                failed.stream().map(o -> Integer.toString(o.status)).collect(Collectors.groupingBy(s -> s, Collectors.counting())),
                reads.size(), failed.stream().filter(reads::contains).count(), all.stream().filter(o -> o.node.contains(",")).count()));

        assertThat(all.stream().filter(o -> o.started < killed && o.status == 200).map(o -> o.node))
                .as("both nodes served before the kill").contains(nodeA.address(), nodeB.address());
        // At most one token request per client was in flight at B when it died; those may fail (502), nothing else.
        assertThat(failed).hasSizeLessThanOrEqualTo(tokenWorkers).allSatisfy(o -> {
            assertThat(o.method).as("a GET is passed on to the live node").isEqualTo("POST");
            assertThat(o.started).as("failed request started before B was gone").isLessThan(gone);
        });
        List<Outcome> afterwards = all.stream().filter(o -> o.started > gone + Duration.ofSeconds(1).toNanos()).toList();
        assertThat(afterwards).isNotEmpty().allSatisfy(o -> {
            assertThat(o.status).isEqualTo(200);
            assertThat(o.node).endsWith(nodeA.address());
        });

        // No answered token is lost: every one node B gave is known to node A.
        List<Outcome> fromB = tokens.stream().filter(o -> o.status == 200 && o.node.equals(nodeB.address())).toList();
        assertThat(fromB).isNotEmpty();
        for (Outcome o : fromB) {
            assertThat(Http.client().postForm(nodeA.url("/oauth2/introspect"), Http.form("token", o.token), "Authorization", client.basic())
                    .json()).containsEntry("active", true);
        }
    }

    /** One request of the load: its method, when it started, its status (-1 for no answer) and the node or nodes nginx named. */
    private record Outcome(String method, long started, int status, String node, String token) {}

    private static Outcome tokenRequest(Http http, TestClient client) {
        long started = System.nanoTime();
        try {
            Http.Response r = http.postForm(nginx.url("/oauth2/token"), Http.form("grant_type", "client_credentials"), "Authorization", client.basic());
            return new Outcome("POST", started, r.status(), r.header(NginxInFront.NODE_HEADER).orElse(""),
                    r.status() == 200 ? (String) r.json().get("access_token") : null);
        } catch (IllegalStateException noAnswer) {
            return new Outcome("POST", started, -1, "", null);
        }
    }

    private static Outcome read(Http http, String token) {
        long started = System.nanoTime();
        try {
            Http.Response r = http.get(nginx.url("/api/users/self.json"), bearer(token));
            return new Outcome("GET", started, r.status(), r.header(NginxInFront.NODE_HEADER).orElse(""), null);
        } catch (IllegalStateException noAnswer) {
            return new Outcome("GET", started, -1, "", null);
        }
    }

    /**
     * Sends {@code request} so that nginx passes it to the node other than {@code node}: nginx
     * takes the nodes in turn, so requests that change nothing go first until one is answered by
     * {@code node}. Checks that it was.
     */
    private static Http.Response atTheNodeOtherThan(String node, Supplier<Http.Response> request) {
        for (int probe = 0; probe < 4 && !node(nginx.client().get(nginx.url("/health/ready"))).equals(node); probe++) {
            // the next one goes to node
        }
        Http.Response answer = request.get();
        assertThat(node(answer)).as("nginx takes the nodes in turn").isNotEqualTo(node);
        return answer;
    }

    private static Http.Response submit(Http browser, Http.Response page, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenFields(page.body()));
        form.putAll(extra);
        return browser.postForm(nginx.url("/authorize"), form);
    }

    private static Http.Response clientCredentials(ServerProcess node, TestClient client) {
        return Http.client().postForm(node.url("/oauth2/token"), Http.form("grant_type", "client_credentials"), "Authorization", client.basic());
    }

    private static String node(Http.Response answer) {
        return answer.header(NginxInFront.NODE_HEADER).orElseThrow(() -> new AssertionError("nginx named no node: " + answer.status()));
    }

    private static String[] bearer(String token) { return new String[] {"Authorization", "Bearer " + token}; }
}
