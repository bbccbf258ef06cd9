package dev.castgate.store.jdbc;

import dev.castgate.domain.Session;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.SessionStore;
import java.time.Instant;
import java.util.Optional;

final class JdbcSessionStore implements SessionStore {
    private final HandleSource db;

    JdbcSessionStore(HandleSource db) { this.db = db; }

    @Override
    public void insert(Session s, Instant createdAt) {
        db.run(h -> h.createUpdate("INSERT INTO sessions (hash, user_id, auth_time, created_at, expires_at) VALUES (:hash, :userId, :authTime, :createdAt, :expiresAt)")
                .bindMethods(s).bind("createdAt", createdAt)
                .execute());
    }

    @Override
    public Optional<Session> findActive(TokenHash hash, Instant now) {
        return db.with(h -> h.createQuery("SELECT hash, user_id, auth_time, expires_at FROM sessions WHERE hash = :hash AND expires_at > :now")
                .bind("hash", hash).bind("now", now)
                .mapTo(Session.class)
                .findOne());
    }

    @Override
    public void delete(TokenHash hash) {
        db.run(h -> h.createUpdate("DELETE FROM sessions WHERE hash = :hash").bind("hash", hash).execute());
    }

    @Override
    public int deleteOthers(UserId userId, TokenHash keepHash) {
        return db.with(h -> h.createUpdate("DELETE FROM sessions WHERE user_id = :user AND hash <> :keep")
                .bind("user", userId).bind("keep", keepHash).execute());
    }
}
