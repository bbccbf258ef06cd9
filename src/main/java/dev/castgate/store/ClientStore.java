package dev.castgate.store;

import dev.castgate.domain.Client;
import java.util.List;
import java.util.Optional;

/** Registered clients. */
public interface ClientStore {
    void insert(Client client);

    Optional<Client> find(String clientId);

    List<Client> list();

    /** Removes the client and, through the schema, every grant and token it holds. */
    boolean delete(String clientId);
}
