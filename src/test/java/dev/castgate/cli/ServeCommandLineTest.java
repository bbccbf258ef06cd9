package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.castgate.testing.ChildProcesses;
import dev.castgate.testing.Tool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's command lines are read without picocli to start faster; everything else must
 * still reach picocli, so that help, mistakes and the other commands read as before.
 */
class ServeCommandLineTest {
    @TempDir Path dir;

    @Test
    void theServerCommandLinesAreReadDirectly() {
        assertThat(ServeCommand.plain("serve")).isPresent();
        assertThat(ServeCommand.plain("serve", "--demo")).isPresent();
        assertThat(ServeCommand.plain("--config", "c.properties", "serve")).isPresent();
        assertThat(ServeCommand.plain("serve", "--config", "c.properties", "--demo")).isPresent();
        assertThat(ServeCommand.plain("--config=c.properties", "serve")).isPresent();
        assertThat(ServeCommand.plain("serve", "--port", "9000", "--host", "0.0.0.0")).isPresent();
        assertThat(ServeCommand.plain("serve", "--port=9000", "--demo", "--host=0.0.0.0", "--config", "c.properties")).isPresent();
        assertThat(ServeCommand.plain("serve", "--port", "abc")).as("a bad value is the configuration's to report").isPresent();
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        assertThat(ServeCommand.plain()).isEmpty();
        assertThat(ServeCommand.plain("--help")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--help")).isEmpty();
        assertThat(ServeCommand.plain("--port", "80", "serve")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--port")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--port=")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--port", "80", "--port", "81")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--host", "--demo")).isEmpty();
        assertThat(ServeCommand.plain("--demo", "serve")).isEmpty();
        assertThat(ServeCommand.plain("serve", "serve")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--demo", "--demo")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--config")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--config", "--demo")).isEmpty();
        assertThat(ServeCommand.plain("--config=", "serve")).isEmpty();
        assertThat(ServeCommand.plain("--config", "a", "--config", "b", "serve")).isEmpty();
        assertThat(ServeCommand.plain("user", "list")).isEmpty();
    }

    @Test
    void aServerWithABadConfigurationExitsWithTwoAndSaysWhy() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.properties"), "database.url=nonsense\n");
        Path err = dir.resolve("err.txt");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.castgate.cli.Main", "serve", "--config", config.toString()))
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CASTGATE_"));
        Process process = builder.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
        } finally {
            ChildProcesses.stop(process, Duration.ofSeconds(5));
        }
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(err, StandardCharsets.UTF_8)).isEqualTo(
                "castgate: configuration: database.url must be a jdbc:sqlite: or jdbc:postgresql: URL, not 'nonsense'"
                        + System.lineSeparator());
    }

    @Test
    void thePortAndHostOptionsWinOverTheEnvironmentAndTheFile() throws Exception {
        int fromFile = ChildProcesses.freePort();
        int fromEnvironment = ChildProcesses.freePort();
        int fromOption = ChildProcesses.freePort();
        Path config = Files.writeString(dir.resolve("ports.properties"), "port=" + fromFile + "\nhost=192.0.2.1\n");
        Process process = serve(Map.of("CASTGATE_PORT", Integer.toString(fromEnvironment), "CASTGATE_HOST", "192.0.2.2",
                "CASTGATE_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("ports.db")),
                "serve", "--config", config.toString(), "--port", Integer.toString(fromOption), "--host", "127.0.0.1");
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                if (!process.isAlive()) throw new AssertionError("serve exited with " + process.exitValue() + ": " + output());
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fromOption + "/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            });
            HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + fromOption + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(discovery.body()).as("the default issuer follows the port the option gave")
                    .contains("\"issuer\":\"http://localhost:" + fromOption + "\"");
        } finally {
            ChildProcesses.stop(process, Duration.ofSeconds(20));
        }
    }

    @Test
    void aBadPortOrHostOptionExitsWithTwoAndNamesTheOption() throws Exception {
        assertThat(serveUntilItEnds("serve", "--port", "70000"))
                .isEqualTo("castgate: configuration: --port must be between 0 and 65535, not 70000" + System.lineSeparator());
        assertThat(serveUntilItEnds("serve", "--port", "abc", "--demo"))
                .isEqualTo("castgate: configuration: --port must be a whole number, not 'abc'" + System.lineSeparator());
        assertThat(serveUntilItEnds("serve", "--host=", "--port", "8080"))
                .as("picocli reads this one, with the same words")
                .isEqualTo("castgate: configuration: --host must not be empty" + System.lineSeparator());
        Tool.Run inProcess = Tool.runRaw("", "serve", "--port", "-5");
        assertThat(inProcess.exit()).isEqualTo(2);
        assertThat(inProcess.err()).isEqualTo("castgate: configuration: --port must be between 0 and 65535, not -5" + System.lineSeparator());
        Tool.Run missing = Tool.runRaw("", "serve", "--port");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("Missing required parameter for option '--port' (N)");
    }

    /** Runs the command line in a JVM of its own until it exits, which must be with status 2; returns its standard error. */
    private String serveUntilItEnds(String... args) throws Exception {
        Process process = serve(Map.of(), args);
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
        } finally {
            ChildProcesses.stop(process, Duration.ofSeconds(5));
        }
        assertThat(process.exitValue()).as(output()).isEqualTo(2);
        return Files.readString(dir.resolve("serve-err.txt"), StandardCharsets.UTF_8);
    }

    private Process serve(Map<String, String> env, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.castgate.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("serve-out.txt").toFile())
                .redirectError(dir.resolve("serve-err.txt").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CASTGATE_"));
        builder.environment().put("CASTGATE_DATABASE_POOL_SIZE", "2");
        builder.environment().putAll(env);
        return builder.start();
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("serve-out.txt")) + Files.readString(dir.resolve("serve-err.txt"));
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
