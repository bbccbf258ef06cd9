package dev.castgate.store.jdbc;

import dev.castgate.store.DatabaseUnavailable;
import dev.castgate.store.DatabaseUnavailable.Kind;
import dev.castgate.store.OutageLog;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's write-ahead log is copied back into the database file (a checkpoint) by a thread of
 * its own, a few times a second, instead of by whichever commit makes the log pass 1,000 pages.
 * That commit is nearly always the group-commit writer's, which would then write and sync the
 * database file while every waiting request waits with it. A passive checkpoint never blocks a
 * writer or a reader.
 *
 * <p>A passive checkpoint never restarts the log either: the log starts over only when a writer
 * finds all of it copied, and under a steady load new commits always arrive first. Each token
 * dirties a page of the token index at random, so the log grew by some 40 MB a second and
 * hundreds of megabytes per run, and commits and reads slowed with it (tail latencies of 300 ms
 * and more). So once the log passes {@link #RESTART_FRAMES}, the group-commit writer, between
 * batches, runs a restarting checkpoint itself: by then the passive rounds have copied nearly
 * everything, so it copies the rest, waits for the few readers of older pages, and the next
 * commit writes from the log's beginning again.
 *
 * <p>On a full disk the checkpoints fail (the database file cannot grow to take the log's new
 * pages) and so does every write that needs the log to grow, while a write small enough for the
 * room a failed one left at the log's end still commits. Readiness asks {@link #requireCopying}
 * too, so it says 503 while the rounds fail, and again 200 as soon as one succeeds: the rounds go
 * on with no request to start them.
 */
final class WalCheckpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpoints.class);
    static final Duration INTERVAL = Duration.ofMillis(250);
    /** Log frames (pages) beyond which the writer restarts the log: 8,192 pages, 32 MiB. */
    static final int RESTART_FRAMES = 8192;
    /** How long the restarting checkpoint waits for readers of older pages; it tries again later. */
    private static final int RESTART_WAIT_MILLIS = 20;

    private final Jdbi jdbi;
    private final OutageLog outages;
    private final int restartFrames;
    private final Thread thread;
    private volatile boolean closed;
    /** The log's length in frames, as the last checkpoint found it. */
    private volatile int logFrames;
    /** Set by a passive round that found the log past the threshold; cleared by the restart. */
    private volatile boolean restartDue;
    /** The last passive round's failure when the disk is full or failed a write; null once a round succeeds. */
    private volatile DatabaseUnavailable diskFailure;
    /**
     * Held while either checkpoint runs. SQLite runs one checkpoint at a time and answers a second
     * with "busy" after its busy handler has waited: the writer would sleep in it, with every
     * request queued behind it, while a passive round copies. So the writer only tries the lock,
     * and when a passive round is running it restarts the log after a later batch instead.
     */
    private final ReentrantLock running = new ReentrantLock();

    WalCheckpoints(Jdbi jdbi, OutageLog outages) { this(jdbi, outages, RESTART_FRAMES); }

    /** With another restart threshold, for tests. */
    WalCheckpoints(Jdbi jdbi, OutageLog outages, int restartFrames) {
        this.jdbi = jdbi;
        this.outages = outages;
        this.restartFrames = restartFrames;
        this.thread = Thread.ofPlatform().name("castgate-wal-checkpoint").daemon(true).unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL);
                running.lock();
                try {
                    logFrames = jdbi.withHandle(h -> checkpoint(h, "PASSIVE")).logFrames();
                    diskFailure = null;
                    // Right after a passive round the log is nearly all copied: the moment for the
                    // writer's restart, which then has little left to copy and sync.
                    if (logFrames > restartFrames) restartDue = true;
                } finally {
                    running.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The next round tries again; the log only grows meanwhile.
                Optional<Kind> away = DatabaseUnavailable.of(e);
                diskFailure = away.orElse(null) == Kind.FULL ? new DatabaseUnavailable(Kind.FULL, e) : null;
                if (away.isPresent()) outages.report(away.get(), "the WAL checkpoint", e);
                else log.warn("a WAL checkpoint failed ({})", e.toString());
            }
        }
    }

    /** Throws when the last round could not copy the log back because the disk is full or failed a write. */
    void requireCopying() {
        DatabaseUnavailable failure = diskFailure;
        if (failure != null) throw failure;
    }

    /** Whether the log has grown past {@link #RESTART_FRAMES} and the writer should restart it. */
    boolean restartDue() { return restartDue; }

    /**
     * A restarting checkpoint on the writer's own connection, between its transactions, unless a
     * passive round is running. It waits for readers at most {@link #RESTART_WAIT_MILLIS}; if some
     * still read older pages, the log is left as it is and a later batch tries again.
     */
    void restart(Handle writer) {
        if (!running.tryLock()) return;
        try {
            int busyTimeout = writer.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one();
            writer.execute("PRAGMA busy_timeout = " + RESTART_WAIT_MILLIS);
            long start = System.nanoTime();
            try {
                Result result = checkpoint(writer, "RESTART");
                if (!result.busy()) {
                    logFrames = 0;
                    restartDue = false;
                }
                log.debug("restarting checkpoint of a {}-frame log: {} in {} ms", result.logFrames(),
                        result.busy() ? "readers still busy" : "done", (System.nanoTime() - start) / 1_000_000);
            } finally {
                writer.execute("PRAGMA busy_timeout = " + busyTimeout); // database.statement_timeout's
            }
        } finally {
            running.unlock();
        }
    }

    /** What {@code PRAGMA wal_checkpoint} answers: whether it had to stop early, and the log's length. */
    private record Result(boolean busy, int logFrames) {}

    private static Result checkpoint(Handle handle, String mode) {
        return handle.createQuery("PRAGMA wal_checkpoint(" + mode + ")")
                .map((rs, ctx) -> new Result(rs.getInt(1) != 0, rs.getInt(2)))
                .one();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
