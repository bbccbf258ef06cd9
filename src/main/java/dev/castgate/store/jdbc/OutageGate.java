package dev.castgate.store.jdbc;

import dev.castgate.store.DatabaseUnavailable;
import dev.castgate.store.DatabaseUnavailable.Kind;
import dev.castgate.store.OutageLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Once PostgreSQL is found away (no connection in time, a connection refused or broken), every
 * request is answered {@code 503} at once instead of waiting out the connection timeout again,
 * and one thread tries a connection a few times a second; the first that answers opens the gate.
 * A stopped database then costs each request nothing, and the node notices its return within
 * a fraction of a second. On SQLite, which has no connection to lose, the gate never closes.
 */
final class OutageGate implements AutoCloseable {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

    private final DataSource dataSource;
    private final OutageLog log;
    private final int validSeconds;
    private final boolean enabled;
    /** When the database was found away ({@link System#nanoTime}), 0 while it answers. */
    private final AtomicLong awaySince = new AtomicLong();
    private volatile boolean closed;

    private OutageGate(DataSource dataSource, OutageLog log, Duration connectTimeout, boolean enabled) {
        this.dataSource = dataSource;
        this.log = log;
        this.validSeconds = (int) Math.max(1, connectTimeout.toSeconds());
        this.enabled = enabled;
    }

    static OutageGate postgres(DataSource dataSource, OutageLog log, Duration connectTimeout) {
        return new OutageGate(dataSource, log, connectTimeout, true);
    }

    static OutageGate never() { return new OutageGate(null, null, Duration.ZERO, false); }

    /** Before using the database: fails at once while it is known to be away. */
    void check() {
        if (awaySince.get() != 0) throw new DatabaseUnavailable(Kind.UNREACHABLE, "the database does not answer");
    }

    /** After a failure: if it says the database is away, the gate closes until a connection answers. */
    void failed(Throwable failure) {
        if (!enabled || closed || DatabaseUnavailable.of(failure).orElse(null) != Kind.UNREACHABLE) return;
        long now = System.nanoTime();
        if (awaySince.compareAndSet(0, now == 0 ? 1 : now)) {
            Thread.ofPlatform().daemon().name("castgate-database-probe").start(this::probeUntilAnswered);
        }
    }

    /** Runs {@code work} behind the gate, closing it when the failure says the database is away. */
    <T> T guard(java.util.function.Supplier<T> work) {
        check();
        try {
            return work.get();
        } catch (RuntimeException e) {
            failed(e);
            throw e;
        }
    }

    private void probeUntilAnswered() {
        while (!closed) {
            try {
                Thread.sleep(PROBE_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            // The pool's own wait (the connection timeout) bounds each try.
            try (Connection connection = dataSource.getConnection()) {
                if (connection.isValid(validSeconds)) {
                    long since = awaySince.getAndSet(0);
                    log.recovered(Duration.ofNanos(System.nanoTime() - since));
                    return;
                }
            } catch (SQLException | RuntimeException stillAway) {
                // try again
            }
        }
    }

    @Override
    public void close() { closed = true; }
}
