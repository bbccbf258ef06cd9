package dev.castgate.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.castgate.domain.GrantType;
import dev.castgate.testing.TcpProxy;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestDatabase;
import dev.castgate.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL stopped and frozen under a running node, at small scale: the node's database
 * connections go through a {@link TcpProxy} the test takes down or freezes, so the shared
 * database server is never touched. Every wait is bounded by the database timeouts (2 s to
 * connect, 2 s per statement here): requests are answered {@code 503 temporarily_unavailable}
 * with {@code Retry-After} (an error page on a page), readiness says 503 within its own short
 * timeout, the log holds a line per kind of failure, not a stack trace per request, and the node
 * answers again once the database is back. Under a {@link TokenLoad}, the outage begins right
 * after the database committed a refresh, so a stored refresh is answered 503, and afterwards
 * nothing answered 200 is lost and every refresh chain goes on. PostgreSQL only: SQLite has no
 * connection to lose ({@link SqliteWriteLockTest} and {@link FullDiskTest} have its failing writes).
 */
@Tag("postgresql-only")
class DatabaseOutageTest {
    /** A request the database timeouts bound; far less than the 30 s the pool waited before. */
    private static final Duration BOUNDED = Duration.ofSeconds(10);
    /** While the database is known to be away: answered at once, not after another connection timeout (2 s). */
    private static final Duration AT_ONCE = Duration.ofMillis(1000);
    /** How long the database stays away under load, at least. */
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    /** The load: threads asking for client-credentials tokens, and refresh chains with a thread each. */
    private static final int ISSUERS = 3;
    private static final int CHAINS = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private TestDatabase database;
    private TcpProxy proxy;
    private TestServer server;
    private TestClient client;

    @BeforeEach
    void start() {
        database = TestDatabase.create();
        URI target = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        proxy = TcpProxy.to(target.getHost(), target.getPort());
        server = TestServer.start(Map.of("CASTGATE_DATABASE_URL", proxy.route(database.jdbcUrl()),
                "CASTGATE_DATABASE_CONNECT_TIMEOUT", "2s", "CASTGATE_DATABASE_STATEMENT_TIMEOUT", "2s"));
        client = server.client().grants(GrantType.CLIENT_CREDENTIALS).create();
        assertThat(token().statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close(); // first, so the server's close finds no frozen connection
        if (server != null) server.close();
        if (database != null) database.close();
    }

    @Test
    void aStoppedDatabaseIsAnswered503AtOnceAndTheNodeRecovers() {
        proxy.down();

        Timed first = timed(this::token);
        assertThat(first.elapsed()).as("the first request after the stop").isLessThan(BOUNDED);
        assertUnavailableJson(first.response());
        for (int i = 0; i < 5; i++) {
            Timed next = timed(this::token);
            assertUnavailableJson(next.response());
            assertThat(next.elapsed()).as("a request while the database is known to be away").isLessThan(AT_ONCE);
        }
        Timed page = timed(() -> send(HttpRequest.newBuilder(URI.create(server.url("/account")))
                .header("Cookie", "castgate_session=0123456789abcdef")));
        assertThat(page.response().statusCode()).isEqualTo(503);
        assertThat(page.response().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.response().headers().firstValue("Retry-After")).isPresent();
        assertThat(page.response().body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(page.elapsed()).isLessThan(AT_ONCE);
        Timed ready = timed(() -> send(HttpRequest.newBuilder(URI.create(server.url("/health/ready")))));
        assertThat(ready.response().statusCode()).isEqualTo(503);
        assertThat(ready.elapsed()).as("readiness answers within its own timeout").isLessThan(Duration.ofMillis(1500));

        proxy.up();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> token().statusCode() == 200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(HttpRequest.newBuilder(URI.create(server.url("/health/ready")))).statusCode() == 200);
    }

    @Test
    void aFrozenDatabaseFailsTheWaitingRequestsWithinTheTimeouts() throws Exception {
        proxy.freeze();

        Timed ready = timed(() -> send(HttpRequest.newBuilder(URI.create(server.url("/health/ready")))));
        assertThat(ready.response().statusCode()).as("readiness, while the database is frozen").isEqualTo(503);
        assertThat(ready.elapsed()).as("readiness answers within its own timeout").isLessThan(Duration.ofMillis(1500));

        // Token requests wait together in the group-commit writer, which must fail all of them.
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Timed>> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) requests.add(pool.submit(() -> timed(this::token)));
            for (Future<Timed> request : requests) {
                Timed answered = request.get();
                assertUnavailableJson(answered.response());
                assertThat(answered.elapsed()).as("a token request on a frozen database").isLessThan(BOUNDED);
            }
        } finally {
            pool.shutdownNow();
        }
        Timed next = timed(this::token);
        assertUnavailableJson(next.response());
        assertThat(next.elapsed()).as("once the database is known to be away").isLessThan(AT_ONCE);

        proxy.thaw();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> token().statusCode() == 200);
    }

    /**
     * PostgreSQL stops under load right after it committed a refresh (the proxy loses the answer
     * to that commit): the node cannot know the refresh was stored and answers 503, and its client
     * retries with the refresh token it holds, which the grace window must answer with the
     * successor instead of revoking the grant.
     */
    @Test
    void aDatabaseStoppedUnderLoadIsAnswered503AndLosesNothingAnswered() throws Exception {
        try (TokenLoad load = TokenLoad.start(server, client, ISSUERS, CHAINS)) {
            proxy.atNextCommitOfAnUpdate(proxy::down);
            assertThat(proxy.awaitCommitFault(BOUNDED)).as("a commit of a refresh under load").isTrue();
            assertReadinessSaysDown();
            awaitOutageSeenBy(load);
            proxy.up();
            awaitRecoveryOf(load);
            load.stop();
            assertAnsweredWellAndLostNothing(load);
        }
    }

    /**
     * The same with PostgreSQL frozen right after that commit: the requests waiting on it are
     * answered within the timeouts, not when the database answers again.
     */
    @Test
    void aDatabaseFrozenUnderLoadIsAnswered503WithinTheTimeoutsAndLosesNothingAnswered() throws Exception {
        try (TokenLoad load = TokenLoad.start(server, client, ISSUERS, CHAINS)) {
            proxy.atNextCommitOfAnUpdate(proxy::freeze);
            assertThat(proxy.awaitCommitFault(BOUNDED)).as("a commit of a refresh under load").isTrue();
            assertReadinessSaysDown();
            awaitOutageSeenBy(load);
            proxy.thaw();
            awaitRecoveryOf(load);
            load.stop();
            assertAnsweredWellAndLostNothing(load);
        }
    }

    @Test
    void anOutageLogsALinePerKindNotAStackTracePerRequest() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            proxy.down();
            for (int i = 0; i < 40; i++) assertUnavailableJson(token());
            proxy.up();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> token().statusCode() == 200);
        } finally {
            root.detachAppender(log);
        }
        List<ILoggingEvent> ours = log.list.stream()
                .filter(e -> e.getLoggerName().startsWith("dev.castgate") && e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        assertThat(ours).as("warnings and errors for 40 failed requests: %s", ours).hasSizeLessThanOrEqualTo(4);
        assertThat(ours.stream().filter(e -> e.getThrowableProxy() != null))
                .as("stack traces in our log").hasSizeLessThanOrEqualTo(1);
    }

    /** Readiness says 503 within its own timeout while the database is away. */
    private void assertReadinessSaysDown() {
        Timed ready = timed(() -> send(HttpRequest.newBuilder(URI.create(server.url("/health/ready")))));
        assertThat(ready.response().statusCode()).as("readiness, while the database is away").isEqualTo(503);
        assertThat(ready.elapsed()).as("readiness answers within its own timeout").isLessThan(Duration.ofMillis(1500));
    }

    /** The outage lasts {@link #OUTAGE} at least, and until the load has been answered 503 often. */
    private static void awaitOutageSeenBy(TokenLoad load) {
        int before = load.unavailable();
        await().pollDelay(OUTAGE).atMost(OUTAGE.plus(BOUNDED)).pollInterval(Duration.ofMillis(50))
                .until(() -> load.unavailable() >= before + 20);
    }

    /** Back: readiness says 200 again, and every chain refreshes again. */
    private void awaitRecoveryOf(TokenLoad load) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(HttpRequest.newBuilder(URI.create(server.url("/health/ready")))).statusCode() == 200);
        load.awaitEveryChainRefreshing();
    }

    private void assertAnsweredWellAndLostNothing(TokenLoad load) throws Exception {
        load.assertAnsweredWell(BOUNDED);
        load.assertEverythingAnsweredHolds(server.url("/oauth2/introspect"));
    }

    private static void assertUnavailableJson(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.body()).startsWith("{\"error\":\"temporarily_unavailable\"");
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    private HttpResponse<String> token() {
        return send(HttpRequest.newBuilder(URI.create(server.url("/oauth2/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", client.basic())
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    /** Bounded: a request the server leaves hanging fails the test after 20 s instead of holding it. */
    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new AssertionError("no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Timed(HttpResponse<String> response, Duration elapsed) {}

    private static Timed timed(java.util.function.Supplier<HttpResponse<String>> call) {
        long start = System.nanoTime();
        HttpResponse<String> response = call.get();
        return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
    }
}
