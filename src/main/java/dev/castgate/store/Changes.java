package dev.castgate.store;

import dev.castgate.domain.ClientId;

/**
 * Changes another node (or the command-line tool) made that this node's caches must not outlive:
 * on PostgreSQL the database announces them at commit, to every node. Called on the listener's
 * thread; an implementation only forgets cache entries.
 */
public interface Changes {
    /** An access token or grant was revoked, or an account disabled or removed. */
    void tokensChanged();

    /** A signing key was added, rotated or retired. */
    void keysChanged();

    /** A resource was registered or removed (RFC 8707 resource indicators). */
    void resourcesChanged();

    /** The client was changed or removed. */
    void clientChanged(ClientId client);

    /** Anything may have changed: the listener was not listening for a while (or just began). */
    void everythingChanged();
}
