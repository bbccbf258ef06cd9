package dev.castgate.store.jdbc;

import dev.castgate.store.LoginFailureStore;
import java.time.Instant;

final class JdbcLoginFailureStore implements LoginFailureStore {
    private final HandleSource db;

    JdbcLoginFailureStore(HandleSource db) { this.db = db; }

    @Override
    public void record(String key, Instant at) {
        db.run(h -> h.createUpdate("INSERT INTO login_failures (throttle_key, failed_at) VALUES (:key, :at)")
                .bind("key", key).bind("at", at.toEpochMilli()).execute());
    }

    @Override
    public int countSince(String key, Instant since) {
        return db.with(h -> h.createQuery("SELECT COUNT(*) FROM login_failures WHERE throttle_key = :key AND failed_at > :since")
                .bind("key", key).bind("since", since.toEpochMilli()).mapTo(Integer.class).one());
    }

    @Override
    public void clear(String key) {
        db.run(h -> h.createUpdate("DELETE FROM login_failures WHERE throttle_key = :key").bind("key", key).execute());
    }
}
