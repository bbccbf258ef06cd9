package dev.castgate.resource;

import dev.castgate.domain.Resource;
import dev.castgate.store.ResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The resources clients may name (RFC 8707): the Streaming API, always, and those an operator
 * registered, held in memory. The registry is read whole, at most once per {@link #TTL}, and again
 * on a miss, so a resource the command-line tool adds works at once. A removed one is forgotten by
 * every node as the removal commits on PostgreSQL ({@link #forget}); on SQLite, and while a node
 * cannot hear the database, within the TTL. Only requests that name a resource read it.
 */
public final class ResourceRegistry {
    public static final Duration TTL = Duration.ofSeconds(5);

    private final ResourceStore store;
    private final Clock clock;
    private final Resource streamingApi;
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, Resource> byUri, Instant readAt) {}

    /** {@code streamingApi}: the Streaming API's identifier, the issuer and {@code api.base_path}. */
    public ResourceRegistry(ResourceStore store, Clock clock, String streamingApi) {
        this.store = store;
        this.clock = clock;
        this.streamingApi = new Resource(streamingApi, "Streaming API", Optional.empty(), Instant.EPOCH);
    }

    /** The Streaming API's identifier. */
    public String streamingApi() { return streamingApi.uri(); }

    /** The known resource of exactly this URI. */
    public Optional<Resource> find(String uri) {
        if (uri.equals(streamingApi.uri())) return Optional.of(streamingApi);
        Instant now = clock.instant();
        Snapshot current = snapshot;
        if (current == null || !now.isBefore(current.readAt().plus(TTL))) current = read(now);
        Resource found = current.byUri().get(uri);
        if (found == null && current.readAt().isBefore(now)) found = read(now).byUri().get(uri);
        return Optional.ofNullable(found);
    }

    /** Forgets what was read; the next request that names a resource reads the registry again. */
    public void forget() { snapshot = null; }

    private Snapshot read(Instant now) {
        Map<String, Resource> byUri = new LinkedHashMap<>();
        for (Resource resource : store.list()) byUri.put(resource.uri(), resource);
        Snapshot read = new Snapshot(Map.copyOf(byUri), now);
        snapshot = read;
        return read;
    }
}
