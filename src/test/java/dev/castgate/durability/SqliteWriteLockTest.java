package dev.castgate.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.GrantType;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SQLite whose writes cannot succeed while reads still do, as on a full disk: another connection
 * holds the file's write lock ({@code BEGIN EXCLUSIVE}; in WAL mode readers go on). Readiness
 * must say 503, because it checks that a write succeeds, not only that a read does, and answer
 * within its own short timeout; a token request is answered {@code 503 temporarily_unavailable}
 * with {@code Retry-After} once the busy timeout ({@code database.statement_timeout}, 1 s here)
 * has passed, not {@code 500} after ten seconds.
 */
@Tag("sqlite-only")
class SqliteWriteLockTest {
    @CastgateServer("CASTGATE_DATABASE_STATEMENT_TIMEOUT=1s") static TestServer server;
    static TestClient client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void setUp() {
        client = server.client().grants(GrantType.CLIENT_CREDENTIALS).create();
    }

    @Test
    void readinessSaysDownWhileWritesCannotSucceed() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        try (Connection lock = exclusiveLock()) {
            long start = System.nanoTime();
            HttpResponse<String> ready = get("/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"status\":\"down\"}");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/health/ready").statusCode() == 200);
    }

    @Test
    void aWriteThatCannotGetTheLockIsAnswered503() throws Exception {
        try (Connection lock = exclusiveLock()) {
            long start = System.nanoTime();
            HttpResponse<String> token = token();
            assertThat(token.statusCode()).as(token.body()).isEqualTo(503);
            assertThat(token.body()).startsWith("{\"error\":\"temporarily_unavailable\"");
            assertThat(token.headers().firstValue("Retry-After")).isPresent();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(token().statusCode()).isEqualTo(200);
    }

    private static Connection exclusiveLock() throws Exception {
        Connection connection = DriverManager.getConnection(server.jdbcUrl());
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
        }
        return connection;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url("/oauth2/token"))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", client.basic())
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
