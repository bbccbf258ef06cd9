package dev.castgate.store.jdbc;

import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's write-ahead log is copied back into the database file (a checkpoint) by a thread of
 * its own, a few times a second, instead of by whichever commit makes the log pass 1,000 pages.
 * That commit is nearly always the group-commit writer's, which would then write and sync the
 * database file while every waiting request waits with it. A passive checkpoint never blocks a
 * writer or a reader; it copies what no reader still needs, and the log starts over once all of
 * it is copied.
 */
final class WalCheckpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpoints.class);
    static final Duration INTERVAL = Duration.ofMillis(250);

    private final Jdbi jdbi;
    private final Thread thread;
    private volatile boolean closed;

    WalCheckpoints(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.thread = Thread.ofPlatform().name("castgate-wal-checkpoint").daemon(true).unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL);
                jdbi.useHandle(h -> h.createQuery("PRAGMA wal_checkpoint(PASSIVE)").mapToMap().list());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The next round tries again; the log only grows meanwhile.
                log.warn("a WAL checkpoint failed ({})", e.toString());
            }
        }
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
