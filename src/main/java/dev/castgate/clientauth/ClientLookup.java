package dev.castgate.clientauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.castgate.domain.Client;
import dev.castgate.store.ClientStore;
import java.time.Duration;
import java.util.Optional;

/**
 * Clients by id, cached briefly: every token request needs its client, and clients change
 * rarely. Misses are not cached, so a client added by the command-line tool works at once; a
 * removed client stops working within {@link #TTL} on every node.
 */
public final class ClientLookup {
    public static final Duration TTL = Duration.ofSeconds(5);

    private final ClientStore store;
    private final Cache<String, Client> cache = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(10_000).build();

    public ClientLookup(ClientStore store) { this.store = store; }

    public Optional<Client> find(String clientId) {
        Client cached = cache.getIfPresent(clientId);
        if (cached != null) return Optional.of(cached);
        Optional<Client> found = store.find(clientId);
        found.ifPresent(c -> cache.put(clientId, c));
        return found;
    }
}
