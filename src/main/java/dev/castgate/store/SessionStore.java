package dev.castgate.store;

import dev.castgate.domain.Session;
import java.time.Instant;
import java.util.Optional;

/** Browser sessions, keyed by the hash of the cookie value. */
public interface SessionStore {
    void insert(Session session, Instant createdAt);

    Optional<Session> findActive(String hash, Instant now);

    void delete(String hash);

    /** Ends every session of the user except the one with {@code keepHash}; returns how many ended. */
    int deleteOthers(String userId, String keepHash);
}
