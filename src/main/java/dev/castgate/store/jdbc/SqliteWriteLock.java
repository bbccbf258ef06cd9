package dev.castgate.store.jdbc;

import dev.castgate.store.DatabaseUnavailable;
import dev.castgate.store.DatabaseUnavailable.Kind;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * SQLite has one writer at a time. Queueing this process's transactions on a fair lock, rather
 * than in SQLite's busy handler, keeps waiting writers out of its sleep-and-retry backoff (which
 * cut throughput tenfold under load) and out of native code. The wait is bounded like SQLite's
 * own busy timeout: while another process holds the file's lock, each holder here waits that long
 * in the driver, and a queue of them would otherwise wait their sum.
 */
final class SqliteWriteLock {
    private final ReentrantLock lock = new ReentrantLock(true);
    private final long waitMillis;

    SqliteWriteLock(Duration wait) { this.waitMillis = wait.toMillis(); }

    /** Takes the lock, or fails as a busy database once the wait is over. */
    void acquire() {
        try {
            if (lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new DatabaseUnavailable(Kind.BUSY, "this process's writes waited past database.statement_timeout");
    }

    void release() { lock.unlock(); }

    /** A transaction on a handle of its own, begun by {@link #begin}; rolled back when {@code work} throws. */
    static <T> T inTransaction(Jdbi jdbi, Function<Handle, T> work) {
        try (Handle handle = jdbi.open()) {
            begin(handle);
            try {
                T result = work.apply(handle);
                handle.commit();
                return result;
            } catch (RuntimeException | Error e) {
                try {
                    handle.rollback();
                } catch (RuntimeException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            }
        }
    }

    /**
     * Begins a transaction. sqlite-jdbc marks its connection as in a transaction before it runs
     * {@code BEGIN IMMEDIATE}; when that fails (another process holds the lock past the busy
     * timeout) the mark stays, the pool takes the connection back as it is, and the next
     * transaction on it ran every statement on its own and failed at its commit. Undoing the mark
     * here keeps such a connection out of the pool's hands.
     */
    static void begin(Handle handle) {
        try {
            handle.begin();
        } catch (RuntimeException e) {
            try {
                handle.getConnection().setAutoCommit(true); // runs a COMMIT that fails: no transaction is open
            } catch (SQLException | RuntimeException expected) {
                // the mark is undone before the COMMIT runs
            }
            throw e;
        }
    }
}
