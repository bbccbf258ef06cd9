package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.ChildProcesses;
import dev.castgate.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator meets first: a port in use, a data folder that cannot be written, a database
 * that does not answer. Each is one line on standard error saying what and what to do, and exit
 * status 2, as a bad configuration is; no stack trace. Run through {@code castgate serve} in a
 * process of its own, as {@code bin/castgate} runs it.
 */
class StartFailureTest {
    @TempDir Path dir;

    record Run(int exit, String out, String err) {}

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (TestDatabase database = TestDatabase.create();
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run run = serve(Map.of("CASTGATE_PORT", Integer.toString(port), "CASTGATE_DATABASE_URL", database.jdbcUrl()));
            assertOneLine(run, "castgate: port " + port + " on 127.0.0.1 is in use: stop the program that holds it, "
                    + "or choose another port (CASTGATE_PORT)");
        }
    }

    @Test
    void aDataFolderThatCannotBeMadeIsOneLine() throws Exception {
        Path inTheWay = Files.writeString(dir.resolve("data"), "a file where the folder should be");
        Run run = serve(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_URL", "jdbc:sqlite:" + inTheWay.resolve("castgate.db")));
        assertOneLine(run, "castgate: cannot create the database folder " + inTheWay + " (a file of that name is in the way): "
                + "choose a folder this user can write in database.url (CASTGATE_DATABASE_URL)");
    }

    @Test
    void aDatabaseFileThatCannotBeOpenedIsOneLine() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("castgate.db")); // a folder where the database file should be
        Run run = serve(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_URL", "jdbc:sqlite:" + folder));
        assertThat(run.err()).startsWith("castgate: cannot open the SQLite database " + folder + " (")
                .endsWith("): make it and its folder writable by this user, or choose another file in database.url "
                        + "(CASTGATE_DATABASE_URL)" + System.lineSeparator());
        assertOneLine(run, run.err().strip());
    }

    @Test
    void anUnreachableDatabaseIsOneLine() throws Exception {
        int closed = ChildProcesses.freePort();
        // The shortest start wait: waiting, with its backoff, is StartWaitTest's.
        Run run = serve(Map.of("CASTGATE_PORT", "0", "CASTGATE_DATABASE_START_WAIT", "1s",
                "CASTGATE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/castgate?password=not-to-be-printed"));
        assertOneLine(run, "castgate: cannot connect to the database at jdbc:postgresql://127.0.0.1:" + closed
                + "/castgate (connection refused): start it, or correct database.url (CASTGATE_DATABASE_URL)");
    }

    private static void assertOneLine(Run run, String line) {
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).as(run.toString()).isEqualTo(line + System.lineSeparator());
        assertThat(run.out()).as("the log").doesNotContain("\tat ").doesNotContain("Exception");
    }

    private Run serve(Map<String, String> settings) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.castgate.cli.Main", "serve"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CASTGATE_"));
        builder.environment().put("CASTGATE_HOST", "127.0.0.1");
        builder.environment().put("CASTGATE_ISSUER", "http://127.0.0.1:9");
        builder.environment().put("CASTGATE_DATABASE_POOL_SIZE", "2");
        builder.environment().putAll(settings);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
        } finally {
            ChildProcesses.stop(process, Duration.ofSeconds(5));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
