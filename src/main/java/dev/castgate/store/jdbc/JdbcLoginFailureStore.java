package dev.castgate.store.jdbc;

import dev.castgate.store.LoginFailureStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

record JdbcLoginFailureStore(HandleSource db) implements LoginFailureStore {
    @Override
    public List<Counts> record(String attemptId, List<String> keys, Instant at, Instant since, Instant pendingSince) {
        return db.with(h -> {
            serialise(h, keys);
            List<Counts> counts = new ArrayList<>(keys.size());
            for (String key : keys) {
                h.createUpdate("INSERT INTO login_failures (throttle_key, failed_at, attempt_id, pending) VALUES (:key, :at, :attempt, 1)")
                        .bind("key", key).bind("at", at).bind("attempt", attemptId).execute();
                counts.add(h.createQuery("SELECT COALESCE(SUM(CASE WHEN pending = 0 THEN 1 ELSE 0 END), 0) AS failures, "
                                + "COALESCE(SUM(CASE WHEN pending = 1 AND failed_at > :pendingSince THEN 1 ELSE 0 END), 0) AS pending "
                                + "FROM login_failures WHERE throttle_key = :key AND failed_at > :since")
                        .bind("key", key).bind("since", since).bind("pendingSince", pendingSince)
                        .mapTo(Counts.class).one());
            }
            return counts;
        });
    }

    @Override
    public void settle(String attemptId) {
        db.update("UPDATE login_failures SET pending = 0 WHERE attempt_id = :attempt", Map.of("attempt", attemptId));
    }

    /**
     * Makes concurrent attempts on the same keys wait for each other until their transactions
     * end, so each counts the others. SQLite's writes already run one at a time (the process's
     * writer lock, the database's own lock across processes); on PostgreSQL a transaction-scoped
     * advisory lock per key does it, taken in a fixed order so two attempts never wait in a circle.
     */
    private static void serialise(Handle h, List<String> keys) {
        if (!isPostgresql(h)) return;
        for (String key : new TreeSet<>(keys)) {
            h.createQuery("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))) AS locked")
                    .bind("key", key).mapTo(Long.class).one();
        }
    }

    private static boolean isPostgresql(Handle h) {
        try {
            return h.getConnection().getMetaData().getURL().startsWith("jdbc:postgresql:");
        } catch (SQLException e) {
            throw new IllegalStateException("the database's kind could not be read", e);
        }
    }

    @Override
    public void takeBack(String attemptId) {
        db.update("DELETE FROM login_failures WHERE attempt_id = :attempt", Map.of("attempt", attemptId));
    }

    /**
     * Settled failures only: another attempt's pending rows are its own to settle or take back.
     * Deleting them too made two sign-ins of one account, each deleting its own rows first, wait
     * for each other's (a deadlock PostgreSQL reported under load).
     */
    @Override
    public int clear(String key) {
        return db.update("DELETE FROM login_failures WHERE throttle_key = :key AND pending = 0", Map.of("key", key));
    }

    /**
     * By substr, not LIKE: a prefix holds a typed name, whose {@code _} and {@code %} LIKE would read
     * as wildcards. Both databases count characters, not UTF-16 units.
     */
    @Override
    public int clearStartingWith(String prefix) {
        return db.update("DELETE FROM login_failures WHERE substr(throttle_key, 1, :length) = :prefix AND pending = 0",
                Map.of("length", prefix.codePointCount(0, prefix.length()), "prefix", prefix));
    }
}
