package dev.castgate.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.domain.Client;
import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durability: a token the server answered 200 is committed. A node (its own JVM, on the test's
 * database) is loaded with token requests from many clients at once and killed with SIGKILL in
 * the middle of it; a new node on the same database must then know every access token that was
 * answered before the kill, and every refresh chain must go on from the newest refresh token its
 * client was answered. Requests cut off by the kill got no answer and promise nothing, so they
 * are not counted. Runs on SQLite and on PostgreSQL, like the whole suite.
 */
class KillDurabilityTest {
    private static final Logger log = LoggerFactory.getLogger(KillDurabilityTest.class);
    /**
     * The load runs at least this long, and on until {@link #ENOUGH_TOKENS} were answered, but no
     * longer than {@link #MAX_LOAD}: on a busy machine the node answers fewer a second.
     */
    private static final Duration LOAD = Duration.ofMillis(2500);
    private static final int ENOUGH_TOKENS = 300;
    private static final Duration MAX_LOAD = Duration.ofSeconds(10);
    /** Threads asking for client-credentials tokens; every fourth request asks for a JWT access token. */
    private static final int ISSUERS = 8;
    /** Refresh chains, each refreshed over and over by a thread of its own. */
    private static final int CHAINS = 8;
    /** Parallel introspection requests after the restart: enough to check thousands of tokens in seconds. */
    private static final int CHECKERS = 16;
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(40);

    @Test
    void everyTokenAnsweredBeforeAKillSurvivesIt(@CastgateServer TestServer server) throws Exception {
        User user = server.createUser();
        // The chains' client has the longest refresh grace window. A refresh in flight at the kill
        // may have been committed without being answered: then the token its client was last
        // answered is already used, and its successor, which the client never saw, is stored.
        // Presenting that token again is what a client does after a lost answer; without a window
        // it would be reuse and revoke the grant (RFC 9700 §4.14.2), which is how OAuth treats a
        // second use, not a lost write. Within the window the retry gets the stored successor. So
        // "the last answered token still refreshes" holds whether or not that in-flight rotation
        // was committed, and fails only if the last answered token itself was lost. The chains are
        // checked first after the restart, well inside the window, which counts from the kill.
        TestClient client = server.client().owner(user).allowPassword().refreshGrace(Client.MAX_REFRESH_GRACE).create();
        Answered answered = new Answered();
        List<Chain> chains = new ArrayList<>();

        try (ServerProcess node = ServerProcess.startBeside(server)) {
            chains.addAll(startChains(node, client, user, answered));
            loadThenKill(node, client, chains, answered);
        }

        try (ServerProcess restarted = ServerProcess.startBeside(server)) {
            Http http = Http.client();
            List<String> brokenChains = new ArrayList<>();
            for (Chain chain : chains) {
                Http.Response r = http.postForm(restarted.url("/oauth2/token"),
                        Http.form("grant_type", "refresh_token", "refresh_token", chain.lastAnswered), "Authorization", client.basic());
                boolean ok = r.status() == 200 && r.json().get("refresh_token") instanceof String next && !next.equals(chain.lastAnswered);
                if (!ok) brokenChains.add("chain " + chain.index + " (" + chain.refreshes + " refreshes answered): " + r.status() + " " + r.body());
            }
            List<String> inactive = introspectAll(restarted, client, answered.accessTokens);

            String summary = answered.summary();
            log.info("kill durability: {}", summary);
            // Soft: a failure reports every check, so lost tokens and broken chains show together.
            SoftAssertions.assertSoftly(softly -> {
                softly.assertThat(answered.accessTokens.size())
                        .as("the load produced too few tokens to mean anything: %s", summary)
                        .isGreaterThan(100);
                softly.assertThat(answered.cutOff.get())
                        .as("no request was in flight at the kill: %s", summary)
                        .isPositive();
                softly.assertThat(brokenChains)
                        .as("of %d refresh chains, these no longer refresh from their last answered token after the kill (%s)",
                                chains.size(), summary)
                        .isEmpty();
                softly.assertThat(inactive.size())
                        .as("of %d access tokens answered 200 before the kill, %d are not active after it (%s); the first of them: %s",
                                answered.accessTokens.size(), inactive.size(), summary, inactive.stream().limit(10).toList())
                        .isZero();
            });
        }
    }

    /** {@link #CHAINS} grants by the password grant, asked for at once; the refresh token of each starts a chain. */
    private static List<Chain> startChains(ServerProcess node, TestClient client, User user, Answered answered) throws Exception {
        Http http = Http.client();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Chain>> grants = new ArrayList<>();
            for (int i = 0; i < CHAINS; i++) {
                int index = i;
                grants.add(threads.submit(() -> {
                    Http.Response r = http.postForm(node.url("/oauth2/token"),
                            Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD),
                            "Authorization", client.basic());
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    Map<String, Object> body = r.json();
                    answered.accessTokens.add((String) body.get("access_token"));
                    answered.passwords.incrementAndGet();
                    return new Chain(index, (String) body.get("refresh_token"));
                }));
            }
            List<Chain> chains = new ArrayList<>();
            for (Future<Chain> grant : grants) chains.add(grant.get(60, TimeUnit.SECONDS));
            return chains;
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Runs the load (see {@link #LOAD}), then kills the node while the threads still have requests
     * in flight, and waits (bounded) for every thread to end.
     */
    private static void loadThenKill(ServerProcess node, TestClient client, List<Chain> chains, Answered answered) throws Exception {
        Http http = Http.client();
        String tokenUrl = node.url("/oauth2/token");
        AtomicBoolean killing = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < ISSUERS; i++) {
                running.add(threads.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        boolean jwt = n % 4 == 0;
                        Map<String, String> form = jwt
                                ? Http.form("grant_type", "client_credentials", "token_type", "jwt")
                                : Http.form("grant_type", "client_credentials");
                        Optional<Http.Response> r = send(http, tokenUrl, form, client, killing, answered);
                        if (r.isPresent() && r.get().status() == 200) {
                            answered.accessTokens.add((String) r.get().json().get("access_token"));
                            (jwt ? answered.jwts : answered.opaques).incrementAndGet();
                        } else {
                            r.ifPresent(answered::other);
                        }
                    }
                    return null;
                }));
            }
            for (Chain chain : chains) {
                running.add(threads.submit(() -> {
                    while (!stop.get()) {
                        Optional<Http.Response> r = send(http, tokenUrl,
                                Http.form("grant_type", "refresh_token", "refresh_token", chain.lastAnswered), client, killing, answered);
                        if (r.isPresent() && r.get().status() == 200) {
                            Map<String, Object> body = r.get().json();
                            answered.accessTokens.add((String) body.get("access_token"));
                            answered.refreshes.incrementAndGet();
                            chain.lastAnswered = (String) body.get("refresh_token");
                            chain.refreshes++;
                        } else {
                            // No answer, or not a 200: the client keeps the token it was last answered and retries it.
                            r.ifPresent(answered::other);
                        }
                    }
                    return null;
                }));
            }
            long started = System.nanoTime();
            try {
                await().pollDelay(LOAD).pollInterval(Duration.ofMillis(20)).atMost(MAX_LOAD)
                        .until(() -> answered.accessTokens.size() >= ENOUGH_TOKENS);
            } catch (ConditionTimeoutException busyMachine) {
                // Fewer tokens than hoped: the assertions say whether they still mean anything.
            }
            answered.loadMillis = (System.nanoTime() - started) / 1_000_000;
            killing.set(true);
            node.kill();
            stop.set(true);
            for (Future<?> thread : running) thread.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            threads.shutdownNow();
        }
    }

    /**
     * One token request; empty when it got no answer (connection refused or reset, or timed out),
     * counted as cut off when it was sent before the kill began and failed because of it.
     */
    private static Optional<Http.Response> send(Http http, String url, Map<String, String> form, TestClient client,
                                                AtomicBoolean killing, Answered answered) {
        boolean sentBeforeTheKill = !killing.get();
        try {
            return Optional.of(http.postForm(url, form, "Authorization", client.basic()));
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof IOException)) throw e;
            if (sentBeforeTheKill && killing.get()) {
                answered.cutOff.incrementAndGet();
            } else if (!killing.get()) {
                answered.unansweredBeforeTheKill.incrementAndGet();
            }
            return Optional.empty();
        }
    }

    /** Introspects every token at the node, {@link #CHECKERS} at a time; returns those not active, each with its answer. */
    private static List<String> introspectAll(ServerProcess node, TestClient client, Queue<String> tokens) throws Exception {
        Http http = Http.client();
        String url = node.url("/oauth2/introspect");
        ExecutorService checkers = Executors.newFixedThreadPool(CHECKERS);
        try {
            List<Future<Optional<String>>> checks = new ArrayList<>();
            for (String token : tokens) {
                checks.add(checkers.submit(() -> {
                    Http.Response r = http.postForm(url, Http.form("token", token), "Authorization", client.basic());
                    boolean active = r.status() == 200 && Boolean.TRUE.equals(r.json().get("active"));
                    return active ? Optional.<String>empty() : Optional.of(abbreviate(token) + ": " + r.status() + " " + r.body());
                }));
            }
            long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
            List<String> inactive = new ArrayList<>();
            for (Future<Optional<String>> check : checks) {
                check.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).ifPresent(inactive::add);
            }
            return inactive;
        } finally {
            checkers.shutdownNow();
        }
    }

    private static String abbreviate(String token) {
        return token.length() <= 16 ? token : token.substring(0, 8) + "…" + token.substring(token.length() - 8);
    }

    /** A refresh chain: the refresh token its client was last answered, written by the chain's thread alone. */
    private static final class Chain {
        final int index;
        volatile String lastAnswered;
        volatile int refreshes;

        Chain(int index, String first) {
            this.index = index;
            this.lastAnswered = first;
        }
    }

    /** What the node answered: every access token it answered 200, and counts for the assertion messages. */
    private static final class Answered {
        final Queue<String> accessTokens = new ConcurrentLinkedQueue<>();
        final AtomicInteger passwords = new AtomicInteger();
        final AtomicInteger opaques = new AtomicInteger();
        final AtomicInteger jwts = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger cutOff = new AtomicInteger();
        final AtomicInteger unansweredBeforeTheKill = new AtomicInteger();
        final Queue<String> others = new ConcurrentLinkedQueue<>();
        volatile long loadMillis;

        void other(Http.Response r) { others.add(r.status() + " " + r.body()); }

        String summary() {
            String notOk = others.isEmpty() ? "" : "; first answers other than 200: "
                    + others.stream().limit(3).collect(Collectors.joining(" | "));
            return accessTokens.size() + " access tokens answered 200 in " + loadMillis + " ms of load (" + passwords + " by the password grant, "
                    + opaques + " opaque and " + jwts + " JWT by client credentials, " + refreshes + " by refreshes); "
                    + others.size() + " answers other than 200; " + cutOff + " requests cut off by the kill; "
                    + unansweredBeforeTheKill + " unanswered before it" + notOk;
        }
    }
}
