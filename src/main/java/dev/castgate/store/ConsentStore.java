package dev.castgate.store;

import dev.castgate.domain.Scope;
import java.time.Instant;
import java.util.Optional;

/** Remembered consents: what a user allowed a client, so the next authorization skips the page. */
public interface ConsentStore {
    Optional<Scope> find(String userId, String clientId);

    /** Replaces what the user allowed the client with {@code scope}, only while the client exists. */
    GuardedWrite remember(String userId, String clientId, Scope scope, Instant at);

    /** Forgets what the user allowed the client, so the next authorization asks again. */
    void forget(String userId, String clientId);
}
