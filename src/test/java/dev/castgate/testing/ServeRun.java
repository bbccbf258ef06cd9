package dev.castgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code castgate serve} in a process of its own, as {@code bin/castgate} runs it, for a start
 * that is expected to fail: what it printed on standard output (the log) and standard error,
 * and its exit status.
 */
public record ServeRun(int exit, String out, String err) {
    /** Runs {@code serve} with these settings (over loopback defaults) until it ends by itself, within 60 s; files go in {@code dir}. */
    public static ServeRun of(Map<String, String> settings, Path dir) {
        try {
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
            return new ServeRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A start that cannot succeed: exit status 2, exactly {@code line} on standard error, and no stack trace in the log. */
    public void assertFailedWithOneLine(String line) {
        assertThat(exit).as(toString()).isEqualTo(2);
        assertThat(err).as(toString()).isEqualTo(line + System.lineSeparator());
        assertThat(out).as("the log").doesNotContain("\tat ").doesNotContain("Exception");
    }
}
