package dev.castgate.testing;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's ffmpeg as a broadcaster: publishes a few seconds of a generated test pattern and tone
 * (H.264 and AAC in FLV) to an RTMP address, as a child process with a bounded timeout. A publish
 * the ingest server refuses (nginx-rtmp closes the connection when {@code on_publish} answers
 * 4xx) makes ffmpeg fail within a second or two; an accepted one runs for the whole duration and
 * exits with 0. Where ffmpeg is not installed the calling test is skipped with a note, except in
 * CI ({@code CI=true}), where its absence is a failure.
 */
public final class Ffmpeg {
    public static final Path BINARY = Path.of("/usr/bin/ffmpeg");
    /** How long the generated stream lasts. */
    public static final int SECONDS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int TAIL_LINES = 15;

    /** What one publish did: whether it was accepted (ffmpeg exited with 0), its exit status and the end of its output. */
    public record Publish(boolean accepted, int exit, String stderrTail) {
        @Override
        public String toString() {
            return (accepted ? "accepted" : "refused") + " (ffmpeg exit " + exit + "):\n" + stderrTail;
        }
    }

    private Ffmpeg() {}

    /** Skips the calling test (or fails it, in CI) when ffmpeg is missing. */
    public static void requireInstalled() {
        if (Files.isExecutable(BINARY)) return;
        String message = "ffmpeg is not installed: missing " + BINARY + " (Debian package ffmpeg)";
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message + "; CI requires the broadcast tests to run");
        Assumptions.abort(message + "; the broadcast tests are skipped");
    }

    /**
     * Publishes to {@code rtmpUrl + "/" + stream}, with {@code args} as the publish URL's query
     * (nginx-rtmp passes them to {@code on_publish} as form fields), e.g. {@code key=...} or
     * {@code user=...&pass=...}.
     */
    public static Publish publish(String rtmpUrl, String stream, Map<String, String> args) {
        String query = args.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String target = rtmpUrl + "/" + stream + (query.isEmpty() ? "" : "?" + query);
        return publish(target);
    }

    /** Publishes to a complete RTMP address. */
    public static Publish publish(String target) {
        requireInstalled();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-hide_banner", "-nostdin", "-loglevel", "info",
                "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
                "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", Integer.toString(SECONDS),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-f", "flv", target));
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile("castgate-ffmpeg", ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                stop(process);
                throw new AssertionError("ffmpeg did not finish within " + TIMEOUT + ":\n" + tail(output));
            }
            int exit = process.exitValue();
            return new Publish(exit == 0, exit, tail(output));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ffmpeg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (process != null && process.isAlive()) stop(process);
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private static void stop(Process process) { ChildProcesses.stop(process, java.time.Duration.ofSeconds(5)); }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.ISO_8859_1);
            // ffmpeg rewrites its progress line with carriage returns; keep each line's last state.
            return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).stream()
                    .map(line -> line.substring(line.lastIndexOf('\r') + 1))
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
