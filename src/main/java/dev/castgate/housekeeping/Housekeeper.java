package dev.castgate.housekeeping;

import dev.castgate.metrics.Metrics;
import dev.castgate.store.HousekeepingStore;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired and revoked rows on a schedule. Every node runs it; the deletes are idempotent,
 * so nodes need not agree on who sweeps.
 */
public final class Housekeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    private final Transactions transactions;
    private final Clock clock;
    private final Duration failureWindow;
    private final Duration auditRetention;
    private final Metrics metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "castgate-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    public Housekeeper(Transactions transactions, Clock clock, Duration failureWindow, Duration auditRetention, Metrics metrics) {
        this.transactions = transactions;
        this.clock = clock;
        this.failureWindow = failureWindow;
        this.auditRetention = auditRetention;
        this.metrics = metrics;
    }

    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::sweepLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep, in one transaction. */
    public HousekeepingStore.Deleted sweep() {
        Instant now = clock.instant();
        HousekeepingStore.Deleted deleted = transactions.inTransaction(tx ->
                tx.housekeeping().deleteExpired(now, now.minus(failureWindow), now.minus(auditRetention)));
        metrics.housekeeping(deleted);
        return deleted;
    }

    private void sweepLogged() {
        try {
            HousekeepingStore.Deleted deleted = sweep();
            if (deleted.total() > 0) log.info("housekeeping deleted {}", deleted);
        } catch (RuntimeException e) {
            // The next run tries again; a failed sweep must not end the schedule.
            log.warn("housekeeping failed; it will run again", e);
        }
    }

    @Override
    public void close() { scheduler.shutdownNow(); }
}
