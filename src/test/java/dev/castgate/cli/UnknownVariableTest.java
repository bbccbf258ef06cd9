package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.testing.ChildProcesses;
import dev.castgate.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistyped {@code CASTGATE_*} variable ({@code CASTGATE_PROT=9090}) was ignored without a word,
 * so the server started on the default. {@code castgate serve} now warns at start, one log line
 * per unknown name with the closest known one, and stays silent about the variables Castgate's
 * scripts and tests use that are not settings.
 */
class UnknownVariableTest {
    @TempDir Path dir;

    @Test
    void eachUnknownCastgateVariableIsNamedAtStartWithTheClosestKnownOne() throws Exception {
        Path log = dir.resolve("serve.log");
        Path emptyConfig = Files.writeString(dir.resolve("castgate.properties"), "");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.castgate.cli.Main", "serve"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("CASTGATE_"));
        try (TestDatabase database = TestDatabase.create()) {
            env.putAll(Map.of("CASTGATE_HOST", "127.0.0.1", "CASTGATE_PORT", "0", "CASTGATE_ISSUER", "http://127.0.0.1:9",
                    "CASTGATE_DATABASE_URL", database.jdbcUrl(), "CASTGATE_DATABASE_POOL_SIZE", "2"));
            env.putAll(database.keySetting());
            env.putAll(Map.of("CASTGATE_PROT", "9090", "CASTGATE_LOGIN_MAX_FAILURES_PER_ACCUONT", "3",
                    "CASTGATE_NOTHING_LIKE_ANY_SETTING", "x"));
            // Not settings, but read by the log set-up, bin/castgate, bin/jdk.sh, the tests and the benchmarks.
            env.putAll(Map.of("CASTGATE_CONFIG", emptyConfig.toString(), "CASTGATE_LOG_LEVEL", "INFO",
                    "CASTGATE_JAVA_OPTS", "-Xmx64m", "CASTGATE_JAVA_VERSION", "21.0.1", "CASTGATE_JAVA_MAJOR", "21",
                    "CASTGATE_JDK", "/usr/lib/jvm/x", "CASTGATE_TEST_JDBC_URL", TestDatabase.DEFAULT_POSTGRES_URL,
                    "CASTGATE_BENCH_PG_DB", "test"));
            Process process = builder.start();
            try {
                String output = awaitOutput(log, process, "Castgate is serving");
                List<String> warnings = output.lines().filter(l -> l.contains("environment variable")).toList();
                assertThat(warnings).as(output).hasSize(3);
                assertThat(warnings.get(0)).contains(" WARN ").endsWith("unknown environment variable CASTGATE_LOGIN_MAX_FAILURES_PER_ACCUONT "
                        + "is ignored; did you mean CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT?");
                assertThat(warnings.get(1)).contains(" WARN ").endsWith("unknown environment variable CASTGATE_NOTHING_LIKE_ANY_SETTING "
                        + "is ignored; no setting has a name like it (see the README's configuration table)");
                assertThat(warnings.get(2)).contains(" WARN ").endsWith("unknown environment variable CASTGATE_PROT is ignored; "
                        + "did you mean CASTGATE_PORT?");
            } finally {
                ChildProcesses.stop(process, Duration.ofSeconds(20));
            }
        }
    }

    /** The process's output once it holds {@code marker}; fails when the process ends first or after 60 s. */
    private static String awaitOutput(Path log, Process process, String marker) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || read(log).contains(marker));
        String output = read(log);
        if (!output.contains(marker)) throw new AssertionError("the server ended with " + process.exitValue() + ":\n" + output);
        return output;
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
