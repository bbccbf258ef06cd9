package dev.castgate.store;

import dev.castgate.domain.Grant;
import java.time.Instant;
import java.util.Optional;

/** Grants: one per authorization, the unit that revocation ends. */
public interface GrantStore {
    void insert(Grant grant);

    Optional<Grant> find(String grantId);

    /** Ends the grant and so every code, access token and refresh token that carries its id. */
    void revoke(String grantId, Instant at);

    void markUsed(String grantId, Instant at);
}
