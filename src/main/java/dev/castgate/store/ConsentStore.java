package dev.castgate.store;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.Scope;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/** Remembered consents: what a user allowed a client, so the next authorization skips the page. */
public interface ConsentStore {
    Optional<Scope> find(UserId userId, ClientId clientId);

    /** Replaces what the user allowed the client with {@code scope}, only while the client exists. */
    GuardedWrite remember(UserId userId, ClientId clientId, Scope scope, Instant at);

    /** Forgets what the user allowed the client, so the next authorization asks again. */
    void forget(UserId userId, ClientId clientId);

    /** Forgets everything the user allowed any client; returns how many consents. */
    int forgetAll(UserId userId);
}
