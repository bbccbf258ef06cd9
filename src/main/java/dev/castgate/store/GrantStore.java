package dev.castgate.store;

import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Grants: one per authorization, the unit that revocation ends. */
public interface GrantStore {
    /** Stores a new grant, only while its client exists and its account is not disabled. */
    GuardedWrite insert(Grant grant);

    Optional<Grant> find(GrantId grantId);

    /**
     * Ends the grant and so every code, access token and refresh token that carries its id, in one
     * statement; false when it was revoked already or does not exist.
     */
    boolean revoke(GrantId grantId, Instant at);

    /**
     * Ends every grant of the account (those of its own sign-ins and the client-credentials
     * grants of clients it owns), with their codes and tokens; returns how many it ended.
     */
    int revokeAll(UserId userId, Instant at);

    /**
     * The user's live grants with their clients' names, most recently used first, in one query:
     * not revoked, and still holding a usable refresh token, access token or authorization code.
     */
    List<ConnectedApp> listLive(UserId userId, Instant now);
}
