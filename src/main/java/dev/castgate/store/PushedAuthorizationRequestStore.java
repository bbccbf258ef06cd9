package dev.castgate.store;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.PushedAuthorizationRequest;
import dev.castgate.domain.TokenHash;
import java.time.Instant;
import java.util.Optional;

/** Pushed authorization requests (RFC 9126), each taken at most once. */
public interface PushedAuthorizationRequestStore {
    void insert(PushedAuthorizationRequest request);

    /**
     * The parameters of {@code clientId}'s request under {@code hash}, if it is unexpired at
     * {@code now}, deleting it: of two takers racing for one request, only one gets it. Another
     * client's request is neither given nor deleted.
     */
    Optional<String> take(TokenHash hash, ClientId clientId, Instant now);
}
