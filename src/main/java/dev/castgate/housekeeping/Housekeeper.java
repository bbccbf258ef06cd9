package dev.castgate.housekeeping;

import dev.castgate.keys.KeyRotation;
import dev.castgate.keys.SigningKeys;
import dev.castgate.metrics.Metrics;
import dev.castgate.store.Exclusive;
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
 * node schedules it and one at a time sweeps ({@link Exclusive}); the deletes and retirements are
 * idempotent and a rotation is admitted once besides, so a node that sweeps right after another
 * finds little to do and does no harm.
 */
public final class Housekeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    /** Rows one transaction deletes per rule at most. */
    static final int BATCH = 1000;
    /** The advisory lock's name: one sweeping node at a time. */
    static final String LOCK = "castgate-housekeeping";

    private final Transactions transactions;
    private final Exclusive exclusive;
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
    public Housekeeper(Transactions transactions, Exclusive exclusive, Clock clock, Duration failureWindow, Duration auditRetention, KeyRotation keyRotation,
                       SigningKeys signingKeys, Supplier<Duration> longestSignedLifetime, Metrics metrics) {
        this.transactions = transactions;
        this.exclusive = exclusive;
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

    /**
     * One sweep, on one node at a time (the others skip theirs meanwhile): the deletes, in
     * transactions of at most {@link #BATCH} rows per rule, so a sweep with much to delete never
     * holds SQLite's writer or PostgreSQL's row locks long; then the signing keys' rotation and
     * retirement. Nothing (all counts 0) when another node was sweeping.
     */
    public HousekeepingStore.Deleted sweep() {
        return exclusive.alone(LOCK, this::sweepAlone).orElseGet(() -> {
            log.debug("housekeeping skipped: another node is sweeping");
            return HousekeepingStore.Deleted.NONE;
        });
    }

    private HousekeepingStore.Deleted sweepAlone() {
        Instant now = clock.instant();
        HousekeepingStore.Deleted deleted = HousekeepingStore.Deleted.NONE;
        HousekeepingStore.Deleted round;
        do {
            round = transactions.inTransaction(tx -> tx.housekeeping()
                    .deleteExpired(now, now.minus(failureWindow), now.minus(auditRetention), BATCH));
            deleted = deleted.plus(round);
        } while (round.reached(BATCH));
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
