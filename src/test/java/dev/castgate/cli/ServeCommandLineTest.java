package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.ChildProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        assertThat(ServeCommand.plain()).isEmpty();
        assertThat(ServeCommand.plain("--help")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--help")).isEmpty();
        assertThat(ServeCommand.plain("serve", "--port", "80")).isEmpty();
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
}
