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
        db.run(h -> h.createUpdate("INSERT INTO sessions (hash, user_id, auth_time, created_at, expires_at, amr, sid) "
                        + "VALUES (:hash, :userId, :authTime, :createdAt, :expiresAt, :amr, :sid)")
                .bindMethods(s).bind("createdAt", createdAt).bind("sid", s.sid().orElse(null))
                .execute());
    }

    @Override
    public Optional<Session> findActive(TokenHash hash, Instant now) {
        // Disabling an account deletes its sessions; the join refuses one started by a sign-in
        // that was checked just before.
        return db.findOne(Session.class, "SELECT s.hash, s.user_id, s.auth_time, s.expires_at, s.amr, s.sid FROM sessions s "
                        + "JOIN users u ON u.id = s.user_id WHERE s.hash = :hash AND s.expires_at > :now AND u.disabled_at IS NULL",
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

    @Override
    public int deleteAll(UserId userId) {
        return db.update("DELETE FROM sessions WHERE user_id = :user", Map.of("user", userId));
    }
}
