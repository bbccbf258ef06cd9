package dev.castgate.store;

import dev.castgate.domain.Session;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/** Browser sessions, keyed by the hash of the cookie value. */
public interface SessionStore {
    void insert(Session session, Instant createdAt);

    /** The session if it is unexpired and its account is not disabled. */
    Optional<Session> findActive(TokenHash hash, Instant now);

    void delete(TokenHash hash);

    /** Ends every session of the user except the one with {@code keepHash}; returns how many ended. */
    int deleteOthers(UserId userId, TokenHash keepHash);

    /** Ends every session of the user; returns how many ended. */
    int deleteAll(UserId userId);
}
