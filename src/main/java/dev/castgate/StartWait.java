package dev.castgate;

import dev.castgate.config.ServerConfig.DatabaseConfig;
import dev.castgate.store.jdbc.Database;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node started while its PostgreSQL is down (both restarted together, or the database still
 * starting) waits for it: it tries again with a growing pause, for {@code database.start_wait},
 * and only then gives up with {@link StartFailure}'s one line. It does not listen meanwhile: there
 * is nothing to answer without the database, and a load balancer sees a node that is not there yet
 * rather than one that answers 503. A failure waiting cannot mend (a wrong password, a database
 * that does not exist, a SQLite file that cannot be written) ends the start at once, as before.
 */
final class StartWait {
    private static final Logger log = LoggerFactory.getLogger(StartWait.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private StartWait() {}

    static Database open(DatabaseConfig config) {
        long deadline = System.nanoTime() + config.startWait().toNanos();
        Duration pause = FIRST_PAUSE;
        for (int tries = 1; ; tries++) {
            try {
                Database database = Database.open(config);
                if (tries > 1) log.info("the database answered at the start's try {}", tries);
                return database;
            } catch (RuntimeException e) {
                RuntimeException failure = StartFailure.database(e, config);
                long left = deadline - System.nanoTime();
                if (!StartFailure.mayComeUp(e, config) || left <= 0) throw failure;
                if (tries == 1) {
                    log.warn("{}; trying again for up to {} s (database.start_wait)", failure.getMessage(),
                            config.startWait().toSeconds());
                }
                sleep(Math.min(pause.toNanos(), left));
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }
}
