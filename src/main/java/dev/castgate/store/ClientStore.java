package dev.castgate.store;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.Client;
import dev.castgate.domain.JwtClientAuth;
import dev.castgate.domain.TokenHash;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Registered clients. */
public interface ClientStore {
    void insert(Client client);

    Optional<Client> find(ClientId clientId);

    List<Client> list();

    /** The longest access token lifetime a client has of its own; empty when none has one. */
    Optional<Duration> longestAccessTokenTtl();

    /** Replaces every setting of the client with the given id except its type, secret and creation time; false if there is none. */
    boolean update(Client client);

    /** Removes the client and, through the schema, every grant and token it holds. */
    boolean delete(ClientId clientId);

    /**
     * Replaces how a web client proves itself: its secret hash, and its JWT client authentication
     * (none: its secret, sent as is); false if there is no such web client.
     */
    boolean replaceAuthentication(ClientId clientId, TokenHash secretHash, Optional<JwtClientAuth> jwtAuth);

    /**
     * Records a client assertion's {@code jti} (RFC 7523 §3) until the assertion expires; false
     * when the client already used it, so the assertion is a replay.
     */
    boolean recordAssertion(ClientId clientId, TokenHash jtiHash, Instant expiresAt);

    /** Replaces a web client's secret hash; false if there is no such client. */
    boolean replaceSecretHash(ClientId clientId, TokenHash secretHash);
}
