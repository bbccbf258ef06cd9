package dev.castgate.store;

import dev.castgate.domain.Scope;
import java.time.Instant;
import java.util.Optional;

/** Remembered consents: what a user allowed a client, so the next authorization skips the page. */
public interface ConsentStore {
    Optional<Scope> find(String userId, String clientId);

    /** Remembers the scopes a user allowed; false when the client no longer exists (see {@link GrantStore#insert}). */
    boolean remember(String userId, String clientId, Scope scope, Instant at);
}
