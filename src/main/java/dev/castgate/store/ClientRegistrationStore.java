package dev.castgate.store;

import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ClientRegistration;
import dev.castgate.domain.TokenHash;
import java.util.Optional;

/** The registration access tokens of self-registered clients (RFC 7592); each row goes with its client. */
public interface ClientRegistrationStore {
    void insert(ClientRegistration registration);

    Optional<ClientRegistration> find(ClientId clientId);

    /**
     * Replaces the registration access token, only while it is still {@code current}, in one
     * statement (so of two updates made with one token, one wins), and the declared method; false
     * when the token was already replaced or the client is gone.
     */
    boolean rotate(ClientId clientId, TokenHash current, TokenHash next, ClientAuthMethod authMethod);
}
