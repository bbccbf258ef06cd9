package dev.castgate.testing;

import dev.castgate.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Runs the command-line tool in this JVM against a test server's database, capturing its output. */
public final class Tool {
    /** What one run printed, and its exit status. */
    public record Run(int exit, String out, String err) {}

    private final Path config;

    private Tool(Path config) { this.config = config; }

    /** A tool configured with the server's database, through a properties file in {@code dir}. */
    public static Tool forServer(TestServer server, Path dir) {
        Properties properties = new Properties();
        properties.put("database.url", server.jdbcUrl());
        properties.put("database.pool_size", "2");
        Path file = dir.resolve("castgate-tool.properties");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "written by a test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Tool(file);
    }

    public Run run(String... args) { return runWithInput("", args); }

    /** A run with {@code stdin} as its standard input, e.g. a password for --password-stdin. */
    public Run runWithInput(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return runRaw(stdin, all.toArray(String[]::new));
    }

    /**
     * A run with exactly these arguments, no configuration added. The tool writes to System.out
     * and System.err and reads System.in: swapped for the run.
     */
    public static synchronized Run runRaw(String stdin, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }
}
