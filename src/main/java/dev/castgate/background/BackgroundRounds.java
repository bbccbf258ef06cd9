package dev.castgate.background;

import dev.castgate.store.DatabaseUnavailable;
import dev.castgate.store.OutageLog;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's rounds on a thread of its own, never inside a request or a transaction: one every
 * {@code poll}, and one at once when {@link #wake} says something was queued on this node. A round
 * that fails is logged (an outage of the database through the {@link OutageLog}) and the next one
 * tries again. The outbox's mail worker and the logout token worker run this way.
 */
public final class BackgroundRounds implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundRounds.class);

    private final String name;
    private final Runnable round;
    private final Duration poll;
    private final OutageLog outages;
    private final ScheduledExecutorService scheduler;

    /** {@code name}: the thread's, {@code castgate-<name>}, and the worker's in the log. */
    public BackgroundRounds(String name, Duration poll, OutageLog outages, Runnable round) {
        this.name = name;
        this.round = round;
        this.poll = poll;
        this.outages = outages;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "castgate-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::roundLogged, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Something was queued here: a round now rather than at the next poll. */
    public void wake() {
        try {
            scheduler.execute(this::roundLogged);
        } catch (RejectedExecutionException closed) {
            // shutting down: what was queued waits in its table for the next start or another node
        }
    }

    /**
     * How long to wait after the {@code attempt}-th failure: {@code first} after the first, then twice
     * as long each time, at most {@code longest}.
     */
    public static Duration backoff(int attempt, Duration first, Duration longest) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 10);
        Duration wait = first.multipliedBy(1L << doublings);
        return wait.compareTo(longest) > 0 ? longest : wait;
    }

    private void roundLogged() {
        try {
            round.run();
        } catch (RuntimeException e) {
            // The next round tries again; a failed round must not end the schedule.
            Optional<DatabaseUnavailable.Kind> away = DatabaseUnavailable.of(e);
            if (away.isPresent()) outages.report(away.get(), name + " worker", e);
            else log.warn("a round of the {} worker failed; the next round tries again", name, e);
        }
    }

    @Override
    public void close() { scheduler.shutdownNow(); }
}
