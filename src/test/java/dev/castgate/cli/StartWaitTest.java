package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.testing.ChildProcesses;
import dev.castgate.testing.TcpProxy;
import dev.castgate.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started while PostgreSQL is down waits for it, trying again with backoff, for
 * {@code database.start_wait}; it does not listen meanwhile. The database is a {@link TcpProxy}
 * that refuses connections until the test brings it up, in front of the shared server.
 * {@code castgate serve} runs in a process of its own, as {@code bin/castgate} runs it.
 */
@Tag("postgresql-only")
class StartWaitTest {
    @TempDir Path dir;

    @Test
    void aNodeStartedBeforeItsDatabaseServesOnceTheDatabaseIsUp() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TcpProxy proxy = downProxy(database)) {
            int port = ChildProcesses.freePort();
            Process process = serve(port, Map.of("CASTGATE_DATABASE_URL", proxy.route(database.jdbcUrl()),
                    "CASTGATE_DATABASE_START_WAIT", "40s"), database.keySetting());
            try {
                // Alive throughout twice as long as a node used to live without its database.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(process::isAlive);
                proxy.up();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !process.isAlive() || ready(port) == 200);
                assertThat(ready(port)).as("readiness once the database is up: %s", output()).isEqualTo(200);
            } finally {
                ChildProcesses.stop(process, Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void aDatabaseThatStaysDownEndsTheStartWithOneLineAfterTheWait() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TcpProxy proxy = downProxy(database)) {
            long start = System.nanoTime();
            Process process = serve(ChildProcesses.freePort(), Map.of("CASTGATE_DATABASE_URL", proxy.route(database.jdbcUrl()),
                    "CASTGATE_DATABASE_START_WAIT", "3s"), database.keySetting());
            try {
                assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
            } finally {
                ChildProcesses.stop(process, Duration.ofSeconds(5));
            }
            Duration lived = Duration.ofNanos(System.nanoTime() - start);
            String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(err).isEqualTo(2);
            assertThat(lived).as("it waited database.start_wait").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(err).isEqualTo("castgate: cannot connect to the database at " + proxy.route(database.jdbcUrl()).split("\\?")[0]
                    + " (connection refused): start it, or correct database.url (CASTGATE_DATABASE_URL)" + System.lineSeparator());
            assertThat(output()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    private static TcpProxy downProxy(TestDatabase database) {
        URI target = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        return TcpProxy.downTo(target.getHost(), target.getPort());
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    }

    private static int ready(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return 0; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Process serve(int port, Map<String, String> settings, Map<String, String> keySetting) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.castgate.cli.Main", "serve"))
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CASTGATE_"));
        builder.environment().put("CASTGATE_HOST", "127.0.0.1");
        builder.environment().put("CASTGATE_PORT", Integer.toString(port));
        builder.environment().put("CASTGATE_ISSUER", "http://127.0.0.1:" + port);
        builder.environment().put("CASTGATE_DATABASE_POOL_SIZE", "2");
        builder.environment().putAll(settings);
        builder.environment().putAll(keySetting);
        return builder.start();
    }
}
