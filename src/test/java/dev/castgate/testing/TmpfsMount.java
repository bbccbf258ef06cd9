package dev.castgate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small disk the test can fill: a tmpfs of a given size mounted on a new temporary folder
 * ({@code mount -t tmpfs}, which needs root). Where mounting is not permitted the calling test is
 * skipped with a note, except in CI ({@code CI=true}), where that is a failure. {@link #close}
 * unmounts it and removes the folder; whatever was opened on it must be closed first, or the
 * unmount is done lazily (the kernel finishes it when the last file is closed).
 */
public final class TmpfsMount implements AutoCloseable {
    private static final long COMMAND_SECONDS = 10;

    private final Path dir;

    private TmpfsMount(Path dir) { this.dir = dir; }

    /** Mounts a tmpfs of {@code megabytes} MiB, readable by this user alone. */
    public static TmpfsMount of(int megabytes) {
        Path dir;
        try {
            dir = Files.createTempDirectory("castgate-disk");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "castgate-test", dir.toString());
        if (failure != null) {
            deleteQuietly(dir);
            String message = "cannot mount a tmpfs (" + failure + ")";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message + "; CI requires the full-disk test to run");
            Assumptions.abort(message + "; the full-disk test needs root and is skipped");
        }
        return new TmpfsMount(dir);
    }

    public Path dir() { return dir; }

    /**
     * Writes {@code name} until the disk has no room left (the write that finds none ends it), so
     * every later write that needs a new block fails. Returns how many bytes it took.
     */
    public long fill(String name) {
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            for (int size = chunk.length; size > 0; ) {
                try {
                    out.write(chunk, 0, size);
                    out.flush();
                    written += size;
                } catch (IOException full) {
                    size /= 2; // the last blocks: smaller writes take what a larger one could not
                }
            }
        } catch (IOException full) {
            // closing after a failed write: what was written stays
        }
        return written;
    }

    /** Frees what {@link #fill} took. */
    public void free(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (run("umount", dir.toString()) != null) run("umount", "-l", dir.toString());
        deleteQuietly(dir);
    }

    /** Runs a command with bounded waiting; null when it succeeded, else what it said. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not end within " + COMMAND_SECONDS + " s";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover empty temporary folder
        }
    }
}
