package dev.castgate.clientauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.TokenHash;
import dev.castgate.store.ClientStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Clients by id, cached briefly: every token request needs its client, and clients change
 * rarely. Misses are not cached, so a client added by the command-line tool works at once. A
 * changed or removed client is forgotten by every node as the change commits on PostgreSQL
 * ({@link #forget}); on SQLite, and while a node cannot hear the database, within {@link #TTL}.
 */
public final class ClientLookup {
    public static final Duration TTL = Duration.ofSeconds(5);
    private static final Pattern CLIENT_ID = Pattern.compile("[0-9a-f]{40}");

    private final ClientStore store;
    private final Cache<String, Client> cache;

    /**
     * Entries age by the server's clock, so a test moves the clock instead of waiting; a step back
     * of the system clock keeps an entry longer by that step, never past the next step forward.
     */
    public ClientLookup(ClientStore store, Clock clock) {
        this.store = store;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.cache = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(TTL).maximumSize(10_000).build();
    }

    /** The client a request's raw {@code client_id} names: it becomes a {@link ClientId} here, once it has the shape of one. */
    public Optional<Client> find(String clientId) {
        // Every client id is 40 lowercase hex; anything else cannot match, and is never sent to the
        // database (PostgreSQL refuses a NUL character in a string with an error, not with no rows).
        if (!CLIENT_ID.matcher(clientId).matches()) return Optional.empty();
        return find(new ClientId(clientId));
    }

    /** Forgets one client, which is read again at its next request. */
    public void forget(ClientId clientId) { cache.invalidate(clientId.value()); }

    /** Forgets every client. */
    public void forgetAll() { cache.invalidateAll(); }

    /** The client of an id that is already typed, such as a token's. */
    public Optional<Client> find(ClientId clientId) {
        Client cached = cache.getIfPresent(clientId.value());
        if (cached != null) return Optional.of(cached);
        Optional<Client> found = store.find(clientId);
        found.ifPresent(c -> cache.put(clientId.value(), c));
        return found;
    }

    /** Records a client assertion's jti until {@code expiresAt}; false when the client used it before (a replay). */
    public boolean recordAssertion(ClientId clientId, TokenHash jtiHash, Instant expiresAt) {
        return store.recordAssertion(clientId, jtiHash, expiresAt);
    }
}
