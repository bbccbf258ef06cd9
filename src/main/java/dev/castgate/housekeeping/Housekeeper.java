package dev.castgate.housekeeping;

import dev.castgate.keys.KeyRotation;
import dev.castgate.keys.SigningKeys;
import dev.castgate.metrics.Metrics;
import dev.castgate.store.HousekeepingStore;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired and revoked rows on a schedule, and rotates and retires signing keys. Every
 * node runs it; the deletes and retirements are idempotent and a rotation is admitted once, so
 * nodes need not agree on who sweeps.
 */
public final class Housekeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    private final Transactions transactions;
    private final Clock clock;
    private final Duration failureWindow;
    private final Duration auditRetention;
    private final KeyRotation keyRotation;
    private final SigningKeys signingKeys;
    private final Supplier<Duration> longestSignedLifetime;
    private final Metrics metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "castgate-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * {@code longestSignedLifetime} is asked at each sweep: the longest lifetime of anything a
     * signing key signs, which a client's own access token lifetime may lengthen.
     */
    public Housekeeper(Transactions transactions, Clock clock, Duration failureWindow, Duration auditRetention, KeyRotation keyRotation,
                       SigningKeys signingKeys, Supplier<Duration> longestSignedLifetime, Metrics metrics) {
        this.transactions = transactions;
        this.clock = clock;
        this.failureWindow = failureWindow;
        this.auditRetention = auditRetention;
        this.keyRotation = keyRotation;
        this.signingKeys = signingKeys;
        this.longestSignedLifetime = longestSignedLifetime;
        this.metrics = metrics;
    }

    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::sweepLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep: the deletes in one transaction, then the signing keys' rotation and retirement. */
    public HousekeepingStore.Deleted sweep() {
        Instant now = clock.instant();
        HousekeepingStore.Deleted deleted = transactions.inTransaction(tx -> tx.housekeeping()
                .deleteExpired(now, now.minus(failureWindow), now.minus(auditRetention)));
        metrics.housekeeping(deleted);
        KeyRotation.Round keys = keyRotation.housekeep(longestSignedLifetime.get());
        for (var key : keys.rotated()) log.info("housekeeping added {} signing key {}; it signs from {}", key.algorithm(), key.kid(), key.activatesAt());
        for (var key : keys.retired()) log.info("housekeeping retired {} signing key {}: every token it signed has expired", key.algorithm(), key.kid());
        // This node publishes and stops publishing at once; the others on their next reread.
        if (keys.changed()) signingKeys.reread();
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
