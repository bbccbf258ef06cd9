package dev.castgate.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A private instance of Debian's nginx for a test: it runs in the foreground as a single process
 * ({@code daemon off; master_process off;}) with its own temporary prefix, configuration, logs,
 * temporary files and pid file, is a child {@link Process} of the test, and is stopped through that
 * process in {@link #close}. It never touches the system nginx or its configuration. Where nginx
 * (or a module a test needs) is not installed the calling test is skipped with a note, except in
 * CI ({@code CI=true}), where their absence is a failure.
 */
public final class PrivateNginx implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path prefix;

    private PrivateNginx(Process process, Path prefix) {
        this.process = process;
        this.prefix = prefix;
    }

    /**
     * Skips the calling test (or fails it, in CI) when nginx or one of {@code alsoNeeded} is
     * missing; each is a path and the Debian package it comes from.
     */
    public static void requireInstalled(String why, String... pathsAndPackages) {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(NGINX)) missing.add(NGINX + " (Debian package nginx)");
        for (int i = 0; i < pathsAndPackages.length; i += 2) {
            if (!Files.exists(Path.of(pathsAndPackages[i]))) missing.add(pathsAndPackages[i] + " (Debian package " + pathsAndPackages[i + 1] + ")");
        }
        if (missing.isEmpty()) return;
        String message = why + " is not installed: missing " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message + "; CI requires these tests to run");
        Assumptions.abort(message + "; these tests are skipped");
    }

    /** A new temporary prefix with the folders nginx writes to, for {@link #start}. */
    public static Path newPrefix() {
        try {
            Path prefix = Files.createTempDirectory("castgate-nginx");
            Files.createDirectories(prefix.resolve("logs"));
            Files.createDirectories(prefix.resolve("temp"));
            return prefix;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The top of a configuration for a prefix: one process in the foreground, its pid file and
     * error log in the prefix. {@code blocks} follow it (events, http, rtmp).
     */
    public static String mainContext(Path prefix, String blocks) {
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %s;
                error_log %s info;
                events { worker_connections 256; }
                %s
                """.formatted(prefix.resolve("nginx.pid"), errorLog(prefix), blocks);
    }

    /**
     * The temporary paths of an http block inside the prefix: Debian's nginx is built with them
     * under /var/lib/nginx, which a private instance must not share.
     */
    public static String httpTempPaths(Path prefix) {
        Path temp = prefix.resolve("temp");
        return """
                client_body_temp_path %1$s/body;
                proxy_temp_path %1$s/proxy;
                fastcgi_temp_path %1$s/fastcgi;
                uwsgi_temp_path %1$s/uwsgi;
                scgi_temp_path %1$s/scgi;
                """.formatted(temp);
    }

    /**
     * Writes {@code config} to the prefix, starts nginx on it and waits, bounded, until it accepts
     * connections on {@code port} of 127.0.0.1. On failure the prefix is removed and the log is in
     * the exception.
     */
    public static PrivateNginx start(Path prefix, String config, int port) {
        Path conf = prefix.resolve("nginx.conf");
        try {
            Files.writeString(conf, config, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(NGINX.toString(), "-p", prefix + "/", "-c", conf.toString(),
                    "-e", errorLog(prefix).toString())
                    .redirectErrorStream(true)
                    .redirectOutput(prefix.resolve("logs/stdout.log").toFile());
            PrivateNginx nginx = new PrivateNginx(builder.start(), prefix);
            nginx.awaitListening(port);
            return nginx;
        } catch (IOException e) {
            ChildProcesses.deleteTree(prefix);
            throw new IllegalStateException("cannot start nginx", e);
        }
    }

    /** nginx's error log and whatever it printed. */
    public String log() {
        try {
            return Files.readString(errorLog(prefix)) + Files.readString(prefix.resolve("logs/stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path errorLog(Path prefix) { return prefix.resolve("logs/error.log"); }

    /** Tries to connect; between tries it waits on nginx's exit, so an nginx that fails to start is noticed at once. */
    private void awaitListening(int port) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                process.onExit().get(100, TimeUnit.MILLISECONDS);
                String log = log();
                close();
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n" + log);
            } catch (TimeoutException stillRunning) {
                // try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                close();
                throw new IllegalStateException(e);
            }
        }
        String log = log();
        close();
        throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT + ":\n" + log);
    }

    /** Stops nginx by its process (SIGTERM: a fast shutdown; SIGKILL after a bounded wait) and removes its prefix. */
    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(10));
        ChildProcesses.deleteTree(prefix);
    }
}
