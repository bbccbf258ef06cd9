package dev.castgate.store;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.Client;
import dev.castgate.domain.TokenHash;
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

    /** Replaces a web client's secret hash; false if there is no such client. */
    boolean replaceSecretHash(ClientId clientId, TokenHash secretHash);
}
