package dev.castgate.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A second Castgate node: {@code castgate serve} in its own JVM, on the database of a
 * {@link TestServer}, as a second server process of a deployment would be. It runs on the real
 * clock; stop it with {@link #close}.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final String base;
    private final Path log;

    private ServerProcess(Process process, String base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /** Starts a node on {@code server}'s database and issuer, and waits (bounded) until it is ready. */
    public static ServerProcess startBeside(TestServer server) { return startBeside(server, new String[0]); }

    /** The same, with extra options for {@code serve} (such as {@code --demo}). */
    public static ServerProcess startBeside(TestServer server, String... serveOptions) {
        return startBeside(server, Map.of(), serveOptions);
    }

    /** The same, with extra settings as {@code CASTGATE_*} variables, which win over the first node's. */
    public static ServerProcess startBeside(TestServer server, Map<String, String> settings, String... serveOptions) {
        Map<String, String> env = new HashMap<>();
        // The same issuer as the first node: two nodes of one deployment behind one name.
        env.put("CASTGATE_ISSUER", server.issuer());
        env.put("CASTGATE_DATABASE_URL", server.jdbcUrl());
        // The same key file: on SQLite the one beside the database, on PostgreSQL the one the first node was given.
        Optional.ofNullable(server.env().get("CASTGATE_KEYS_ENCRYPTION_KEY_FILE"))
                .ifPresent(file -> env.put("CASTGATE_KEYS_ENCRYPTION_KEY_FILE", file));
        // The same mail server too, where the first node has one.
        server.env().forEach((name, value) -> {
            if (name.startsWith("CASTGATE_MAIL_")) env.put(name, value);
        });
        env.putAll(settings);
        return start(env, null, serveOptions);
    }

    /**
     * A node with these settings alone (and loopback ones), in {@code workingDirectory}, where
     * relative paths such as the default data folder then lie.
     */
    public static ServerProcess startIn(Path workingDirectory, Map<String, String> settings) {
        return start(settings, workingDirectory.toFile());
    }

    private static ServerProcess start(Map<String, String> settings, java.io.File workingDirectory, String... serveOptions) {
        int port = ChildProcesses.freePort();
        try {
            Path log = Files.createTempFile("castgate-node", ".log");
            String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "dev.castgate.cli.Main", "serve"));
            command.addAll(List.of(serveOptions));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("CASTGATE_"));
            env.put("CASTGATE_HOST", "127.0.0.1");
            env.put("CASTGATE_PORT", Integer.toString(port));
            env.put("CASTGATE_DATABASE_POOL_SIZE", "4");
            env.putAll(settings);
            ServerProcess node = new ServerProcess(builder.start(), "http://127.0.0.1:" + port, log);
            node.awaitReady();
            return node;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a node", e);
        }
    }

    public String url(String path) { return base + path; }

    /** 127.0.0.1:PORT, as a proxy in front of the node names it. */
    public String address() { return base.substring("http://".length()); }

    public long pid() { return process.pid(); }

    /** Polls /health/ready; between polls it waits on the process's exit, so a node that dies is noticed at once. */
    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.onExit().get(200, TimeUnit.MILLISECONDS);
                throw new IllegalStateException("the second node exited with " + process.exitValue() + ":\n" + output());
            } catch (TimeoutException stillRunning) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("the second node was not ready within " + START_TIMEOUT + ":\n" + output());
    }

    /** What the node printed so far (standard output and error). */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }


    /**
     * Ends the node at once, as a crash or {@code kill -9} would (SIGKILL: no shutdown hook runs,
     * nothing is flushed or closed), and waits (bounded) until its process is gone. Requests in
     * flight get no answer. {@link #close} is still to be called; it finds the process ended.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("the node did not end within 10 s of SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the node by its process (SIGTERM, then SIGKILL after a bounded wait). */
    @Override
    public void close() {
        ChildProcesses.stop(process, java.time.Duration.ofSeconds(20));
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
