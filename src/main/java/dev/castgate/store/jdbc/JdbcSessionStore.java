package dev.castgate.store.jdbc;

import dev.castgate.domain.Session;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.SessionStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

record JdbcSessionStore(HandleSource db) implements SessionStore {
    @Override
    public void insert(Session s, Instant createdAt) {
        db.run(h -> h.createUpdate("INSERT INTO sessions (hash, user_id, auth_time, created_at, expires_at, amr) "
                        + "VALUES (:hash, :userId, :authTime, :createdAt, :expiresAt, :amr)")
                .bindMethods(s).bind("createdAt", createdAt)
                .execute());
    }

    @Override
    public Optional<Session> findActive(TokenHash hash, Instant now) {
        return db.findOne(Session.class, "SELECT hash, user_id, auth_time, expires_at, amr FROM sessions WHERE hash = :hash AND expires_at > :now",
                Map.of("hash", hash, "now", now));
    }

    @Override
    public void delete(TokenHash hash) {
        db.update("DELETE FROM sessions WHERE hash = :hash", Map.of("hash", hash));
    }

    @Override
    public int deleteOthers(UserId userId, TokenHash keepHash) {
        return db.update("DELETE FROM sessions WHERE user_id = :user AND hash <> :keep",
                Map.of("user", userId, "keep", keepHash));
    }
}
