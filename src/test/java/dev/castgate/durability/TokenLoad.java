package dev.castgate.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.domain.Client;
import dev.castgate.domain.User;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small, bounded token load for the fault tests: a few threads asking for client-credentials
 * tokens and a few walking refresh chains, each as a client would, while the test takes the
 * database away. It records what a client may rely on afterwards, every access token answered
 * 200 and each chain's last answered refresh token, and what it must never see: an answer other
 * than 200 or a well-formed {@code 503} (a 500, a stack trace, a revoked grant), no answer at all,
 * or an answer slower than the database timeouts allow.
 *
 * <p>A chain whose refresh is answered 503 (or not at all) keeps the refresh token it was last
 * answered and sends it again, as a client does after a lost answer: the refresh may have been
 * committed all the same, and the grace window must then answer the retry with the same successor
 * instead of revoking the grant. Retries come after {@link #RETRY_PAUSE}, sooner than the
 * {@code Retry-After} a client is told, so that they fall inside a few seconds' outage.
 */
final class TokenLoad implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TokenLoad.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    /** A request unanswered this long hangs: counted as unanswered, and the test fails. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final String tokenUrl;
    private final TestClient issuer;
    private final TestClient chainClient;
    private final List<Chain> chains = new ArrayList<>();
    private final int issuers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<?>> running = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Every access token answered 200, with the client it was issued to. */
    private final Queue<Issued> accessTokens = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    /** Refreshes answered 200 that retried a token whose previous presentation got 503 or no answer. */
    private final AtomicInteger retriesAnswered = new AtomicInteger();
    private final Queue<String> wrong = new ConcurrentLinkedQueue<>();
    private final Queue<String> unanswered = new ConcurrentLinkedQueue<>();
    private final AtomicLong slowestNanos = new AtomicLong();

    /**
     * Starts {@code issuers} threads asking {@code issuer} for client-credentials tokens and
     * {@code chains} refresh chains, each a grant of a client with the default refresh grace window
     * (by the password grant), and returns once the load runs: some tokens answered and every chain
     * refreshed a few times.
     */
    static TokenLoad start(TestServer server, TestClient issuer, int issuers, int chains) {
        User user = server.createUser();
        TestClient chainClient = server.client().owner(user).allowPassword().refreshGrace(Client.DEFAULT_REFRESH_GRACE).create();
        Http http = Http.client();
        List<String> firstRefreshTokens = new ArrayList<>();
        for (int i = 0; i < chains; i++) {
            Http.Response r = http.postForm(server.url("/oauth2/token"),
                    Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD),
                    "Authorization", chainClient.basic());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            firstRefreshTokens.add((String) r.json().get("refresh_token"));
        }
        TokenLoad load = new TokenLoad(server.url("/oauth2/token"), issuer, issuers, chainClient, firstRefreshTokens);
        load.run();
        await().atMost(REQUEST_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> load.ok() >= 100 && load.refreshesPerChain().stream().allMatch(n -> n >= 3));
        return load;
    }

    private TokenLoad(String tokenUrl, TestClient issuer, int issuers, TestClient chainClient, List<String> firstRefreshTokens) {
        this.tokenUrl = tokenUrl;
        this.issuer = issuer;
        this.issuers = issuers;
        this.chainClient = chainClient;
        for (int i = 0; i < firstRefreshTokens.size(); i++) chains.add(new Chain(i, firstRefreshTokens.get(i)));
    }

    private void run() {
        for (int i = 0; i < issuers; i++) {
            running.add(threads.submit(() -> {
                while (stopped.getCount() > 0) {
                    Optional<Map<String, Object>> tokens = send(issuer, "grant_type=client_credentials");
                    if (tokens.isEmpty()) pause();
                }
                return null;
            }));
        }
        for (Chain chain : chains) running.add(threads.submit(() -> walk(chain)));
    }

    private Void walk(Chain chain) {
        boolean retrying = false;
        while (stopped.getCount() > 0) {
            Optional<Map<String, Object>> tokens = send(chainClient,
                    "grant_type=refresh_token&refresh_token=" + chain.lastAnswered);
            if (tokens.isPresent()) {
                chain.lastAnswered = (String) tokens.get().get("refresh_token");
                chain.refreshes.incrementAndGet();
                if (retrying) retriesAnswered.incrementAndGet();
                retrying = false;
            } else {
                retrying = true; // the same token again: its answer may have been lost
                pause();
            }
        }
        return null;
    }

    /** One token request; the tokens when answered 200, empty otherwise (and recorded). */
    private Optional<Map<String, Object>> send(TestClient client, String form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", client.basic())
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            unanswered.add(form.substring(0, form.indexOf('&') < 0 ? form.length() : form.indexOf('&')) + ": " + e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        }
        if (response.statusCode() == 200) {
            Map<String, Object> tokens = json(response.body());
            accessTokens.add(new Issued((String) tokens.get("access_token"), client));
            ok.incrementAndGet();
            return Optional.of(tokens);
        }
        String problem = unavailableProblem(response);
        if (problem == null) unavailable.incrementAndGet();
        else wrong.add(problem);
        return Optional.empty();
    }

    /**
     * Null when {@code response} is the answer to a request while the database is away:
     * {@code 503 temporarily_unavailable} as JSON, with {@code Retry-After} and {@code no-store},
     * and a description that is a sentence, not a stack trace. Otherwise what is wrong with it.
     */
    private static String unavailableProblem(HttpResponse<String> response) {
        if (response.statusCode() != 503) return response.statusCode() + " " + response.body();
        String seen = "503 Retry-After " + response.headers().firstValue("Retry-After").orElse("(none)")
                + ", Cache-Control " + response.headers().firstValue("Cache-Control").orElse("(none)")
                + ", Content-Type " + response.headers().firstValue("Content-Type").orElse("(none)") + ": " + response.body();
        Map<String, Object> body;
        try {
            body = JSON.readValue(response.body(), new TypeReference<>() {});
        } catch (IOException e) {
            return "not JSON: " + seen;
        }
        boolean ok = "temporarily_unavailable".equals(body.get("error"))
                && body.get("error_description") instanceof String description && !description.isBlank()
                && !response.body().contains("Exception") && !response.body().contains("\tat ")
                && response.headers().firstValue("Retry-After").filter(v -> v.matches("[1-9][0-9]*")).isPresent()
                && response.headers().firstValue("Cache-Control").filter("no-store"::equals).isPresent()
                && response.headers().firstValue("Content-Type").filter(t -> t.startsWith("application/json")).isPresent();
        return ok ? null : seen;
    }

    /** Waits {@link #RETRY_PAUSE} before a retry, or less when the load is stopped meanwhile. */
    private void pause() {
        try {
            stopped.await(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int ok() { return ok.get(); }

    int unavailable() { return unavailable.get(); }

    /** Refreshes answered 200 so far, per chain. */
    List<Integer> refreshesPerChain() { return chains.stream().map(c -> c.refreshes.get()).toList(); }

    private Duration slowest() { return Duration.ofNanos(slowestNanos.get()); }

    /** Stops the load and waits (bounded by the requests' own timeout) until every thread has ended. */
    void stop() {
        stopped.countDown();
        try {
            for (Future<?> thread : running) thread.get(REQUEST_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the load did not stop: " + e, e);
        } finally {
            threads.shutdownNow();
        }
    }

    private String summary() {
        return ok + " answered 200 (" + accessTokens.size() + " access tokens), " + unavailable + " answered 503, "
                + retriesAnswered + " retried refreshes answered, " + wrong.size() + " wrong answers, "
                + unanswered.size() + " unanswered, the slowest in " + slowest().toMillis() + " ms; refreshes per chain "
                + refreshesPerChain() + (wrong.isEmpty() ? "" : "; first wrong answers: "
                + wrong.stream().limit(3).collect(Collectors.joining(" | ")));
    }

    /**
     * After the fault: every chain refreshes again, its retry answered (or something is answered
     * wrong, which {@link #assertAnsweredWell} then reports).
     */
    void awaitEveryChainRefreshing() {
        List<Integer> before = refreshesPerChain();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<Integer> now = refreshesPerChain();
            for (int i = 0; i < now.size(); i++) if (now.get(i) <= before.get(i)) return !wrong.isEmpty();
            return true;
        });
    }

    /**
     * Every answer was 200 or a well-formed 503, none came later than {@code bounded} or not at
     * all, and a refresh answered 503 was retried and answered: call after {@link #stop}.
     */
    void assertAnsweredWell(Duration bounded) {
        String summary = summary();
        log.info("the load around the fault: {}", summary);
        assertThat(wrong).as("answers other than 200 or a well-formed 503 (%s)", summary).isEmpty();
        assertThat(unanswered).as("requests left unanswered (%s)", summary).isEmpty();
        assertThat(slowest()).as("the slowest answer (%s)", summary).isLessThan(bounded);
        assertThat(retriesAnswered.get()).as("refreshes retried after a 503 and answered (%s)", summary).isPositive();
    }

    /**
     * What a client may rely on after the outage: every chain refreshes from the token it was last
     * answered, and every access token answered 200 is active (a revoked grant would end both).
     * Each token is introspected by the client it was issued to, which may always introspect it.
     */
    void assertEverythingAnsweredHolds(String introspectUrl) throws Exception {
        Http http = Http.client();
        List<String> brokenChains = new ArrayList<>();
        for (Chain chain : chains) {
            Http.Response r = http.postForm(tokenUrl, Http.form("grant_type", "refresh_token", "refresh_token", chain.lastAnswered),
                    "Authorization", chainClient.basic());
            if (r.status() != 200) brokenChains.add("chain " + chain.index + ": " + r.status() + " " + r.body());
        }
        assertThat(brokenChains).as("chains that no longer refresh from their last answered token (%s)", summary()).isEmpty();
        ExecutorService checkers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<String>>> checks = new ArrayList<>();
            for (Issued token : accessTokens) {
                checks.add(checkers.submit(() -> {
                    Http.Response r = http.postForm(introspectUrl, Http.form("token", token.value()), "Authorization", token.client().basic());
                    boolean active = r.status() == 200 && Boolean.TRUE.equals(r.json().get("active"));
                    return active ? Optional.<String>empty() : Optional.of(token.value().substring(0, 8) + "…: " + r.status() + " " + r.body());
                }));
            }
            List<String> inactive = new ArrayList<>();
            for (Future<Optional<String>> check : checks) check.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS).ifPresent(inactive::add);
            assertThat(inactive).as("access tokens answered 200 but not active after the outage (%s)", summary()).isEmpty();
        } finally {
            checkers.shutdownNow();
        }
    }

    private static Map<String, Object> json(String body) {
        try {
            return JSON.readValue(body, new TypeReference<>() {});
        } catch (IOException e) {
            throw new AssertionError("a 200 whose body is not JSON: " + body, e);
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        threads.shutdownNow();
    }

    private record Issued(String value, TestClient client) {}

    /** A refresh chain: the refresh token its client was last answered, written by the chain's thread alone. */
    private static final class Chain {
        final int index;
        final AtomicInteger refreshes = new AtomicInteger();
        volatile String lastAnswered;

        Chain(int index, String first) {
            this.index = index;
            this.lastAnswered = first;
        }
    }
}
