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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A private RTMP ingest server: Debian's nginx with its RTMP module ({@code libnginx-mod-rtmp}),
 * listening on 127.0.0.1 on a free port, asking {@code on_publish} whether a publish may start.
 * It runs in the foreground as a single process ({@code daemon off; master_process off;}) with its
 * own temporary prefix, configuration, logs and pid file, is a child {@link Process} of the test,
 * and is stopped through that process in {@link #close}. It never touches the system nginx or its
 * configuration. Where nginx or the module is not installed the calling test is skipped with a
 * note, except in CI ({@code CI=true}), where their absence is a failure.
 */
public final class RtmpIngest implements AutoCloseable {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    /** The nginx-rtmp application publishes go to: rtmp://127.0.0.1:PORT/live/STREAM. */
    public static final String APPLICATION = "live";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path prefix;
    private final int port;

    private RtmpIngest(Process process, Path prefix, int port) {
        this.process = process;
        this.prefix = prefix;
        this.port = port;
    }

    /** Skips the calling test (or fails it, in CI) when nginx or its RTMP module is missing. */
    public static void requireInstalled() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(NGINX)) missing.add(NGINX + " (Debian package nginx)");
        if (!Files.isRegularFile(RTMP_MODULE)) missing.add(RTMP_MODULE + " (Debian package libnginx-mod-rtmp)");
        if (missing.isEmpty()) return;
        String message = "nginx with the RTMP module is not installed: missing " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message + "; CI requires the broadcast tests to run");
        Assumptions.abort(message + "; the broadcast tests are skipped");
    }

    /**
     * Starts nginx with {@code on_publish} pointing at {@code onPublishUrl} (an http:// address
     * on 127.0.0.1) and waits, bounded, until it accepts connections on its RTMP port.
     */
    public static RtmpIngest start(String onPublishUrl) {
        return start(freePort(), onPublishUrl);
    }

    /**
     * Starts on a port chosen beforehand with {@link #freePort()}, for when the RTMP address must be
     * known first (Castgate announces it in the ingest settings, and nginx needs Castgate's address).
     */
    public static RtmpIngest start(int port, String onPublishUrl) {
        requireInstalled();
        Path prefix;
        try {
            prefix = Files.createTempDirectory("castgate-nginx");
            Files.createDirectories(prefix.resolve("logs"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path conf = prefix.resolve("nginx.conf");
        String config = """
                load_module %s;
                daemon off;
                master_process off;
                worker_processes 1;
                pid %s;
                error_log %s info;
                events { worker_connections 64; }
                rtmp {
                    server {
                        listen 127.0.0.1:%d;
                        notify_method post;
                        application %s {
                            live on;
                            on_publish %s;
                        }
                    }
                }
                """.formatted(RTMP_MODULE, prefix.resolve("nginx.pid"), errorLog(prefix), port, APPLICATION, onPublishUrl);
        try {
            Files.writeString(conf, config, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(NGINX.toString(), "-p", prefix + "/", "-c", conf.toString(),
                    "-e", errorLog(prefix).toString())
                    .redirectErrorStream(true)
                    .redirectOutput(prefix.resolve("logs/stdout.log").toFile());
            RtmpIngest ingest = new RtmpIngest(builder.start(), prefix, port);
            ingest.awaitListening();
            return ingest;
        } catch (IOException e) {
            deleteTree(prefix);
            throw new IllegalStateException("cannot start nginx", e);
        }
    }

    /** rtmp://127.0.0.1:PORT/live, the address the ingest settings should announce. */
    public String rtmpUrl() { return rtmpUrl(port); }

    /** rtmp://127.0.0.1:PORT/live for a port chosen with {@link #freePort()}. */
    public static String rtmpUrl(int port) { return "rtmp://127.0.0.1:" + port + "/" + APPLICATION; }

    public int port() { return port; }

    /** nginx's error log (at level info: the RTMP module logs publishes and on_publish refusals there). */
    public String log() {
        try {
            return Files.readString(errorLog(prefix)) + Files.readString(prefix.resolve("logs/stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path errorLog(Path prefix) { return prefix.resolve("logs/error.log"); }

    /** Tries to connect; between tries it waits on nginx's exit, so an nginx that fails to start is noticed at once. */
    private void awaitListening() {
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

    /** A free port on 127.0.0.1, to start on later with {@link #start(int, String)}. */
    public static int freePort() { return ChildProcesses.freePort(); }

    /** Stops nginx by its process (SIGTERM: a fast shutdown; SIGKILL after a bounded wait) and removes its prefix. */
    @Override
    public void close() {
        ChildProcesses.stop(process, java.time.Duration.ofSeconds(10));
        deleteTree(prefix);
    }

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
