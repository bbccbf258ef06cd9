package dev.castgate.testing;

import dev.castgate.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** Runs the command-line tool in this JVM against a test server's database, capturing its output. */
public final class Tool {
    /** What one run printed, and its exit status. */
    public record Run(int exit, String out, String err) {}

    private final Path config;

    private Tool(Path config) { this.config = config; }

    /** A tool configured as the server is: its database, its key file, its issuer and its mail settings. */
    public static Tool forServer(TestServer server, Path dir) { return forServer(server, dir, Map.of()); }

    /**
     * The same, with {@code overrides} (settings by their property names, such as {@code issuer})
     * in place of the server's; an empty value leaves the setting unset.
     */
    public static Tool forServer(TestServer server, Path dir, Map<String, String> overrides) {
        Properties properties = new Properties();
        properties.put("database.url", server.jdbcUrl());
        properties.put("database.pool_size", "2");
        String keyFile = server.env().get("CASTGATE_KEYS_ENCRYPTION_KEY_FILE");
        if (keyFile != null) properties.put("keys.encryption_key_file", keyFile);
        // The tool decides whether mail leaves as the server does, from the same settings.
        server.env().forEach((name, value) -> {
            if (name.equals("CASTGATE_ISSUER") || name.startsWith("CASTGATE_MAIL_")) {
                String setting = name.substring("CASTGATE_".length()).toLowerCase(Locale.ROOT);
                properties.put(setting.startsWith("mail_") ? "mail." + setting.substring("mail_".length()) : setting, value);
            }
            // The signing-key settings too (CASTGATE_KEYS_ACTIVATION_DELAY is keys.activation_delay), so the tool rotates as the server would.
            if (name.startsWith("CASTGATE_KEYS_") && !name.equals("CASTGATE_KEYS_ENCRYPTION_KEY_FILE")) {
                properties.put("keys." + name.substring("CASTGATE_KEYS_".length()).toLowerCase(Locale.ROOT), value);
            }
        });
        overrides.forEach((name, value) -> {
            if (value.isEmpty()) properties.remove(name);
            else properties.put(name, value);
        });
        Path file = dir.resolve("castgate-tool" + (overrides.isEmpty() ? "" : "-" + Integer.toHexString(overrides.hashCode())) + ".properties");
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
     * A run with exactly these arguments, no configuration added. The tool's output and messages
     * are captured on writers of their own, so log lines of servers running in this JVM stay out
     * of them; it reads System.in, swapped for the run.
     */
    public static synchronized Run runRaw(String stdin, String... args) {
        InputStream oldIn = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setIn(oldIn);
        }
    }
}
