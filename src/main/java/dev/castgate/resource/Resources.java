package dev.castgate.resource;

import dev.castgate.admin.AdminException;
import dev.castgate.audit.AuditTrail;
import dev.castgate.audit.Operator;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Resource;
import dev.castgate.domain.Scope;
import dev.castgate.http.TextRule;
import dev.castgate.store.AuditStore;
import dev.castgate.store.ResourceStore;
import dev.castgate.store.Stores;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The registry of resource servers (RFC 8707) as an operator changes it: the one place resources
 * are added, listed and removed, for the command-line tool and any other operator's tool alike.
 * Adding and removing are audited, like every administrative change. The Streaming API is always
 * known, listed first, and can be neither added nor removed.
 */
public final class Resources {
    private final ResourceStore store;
    private final AuditStore auditStore;
    private final AuditTrail audit;
    private final Clock clock;
    private final String streamingApi;
    private final Runnable changed;

    /** {@code streamingApi}: the Streaming API's identifier, the issuer and {@code api.base_path}. */
    public Resources(Stores stores, RandomTokens random, Clock clock, String streamingApi) {
        this(stores, random, clock, streamingApi, () -> { });
    }

    /** The same, telling {@code changed} of each change: in the server, its registry forgets what it read. */
    public Resources(Stores stores, RandomTokens random, Clock clock, String streamingApi, Runnable changed) {
        this.store = stores.resources();
        this.auditStore = stores.audit();
        this.audit = new AuditTrail(random, clock);
        this.clock = clock;
        this.streamingApi = streamingApi;
        this.changed = changed;
    }

    /**
     * Registers {@code uri} as {@code name}, its tokens limited to {@code scopes} if given (comma- or
     * space-separated, each one Castgate grants), by {@code by}, whom the audit event names.
     */
    public Resource add(String uri, String name, Optional<String> scopes, Operator by) {
        ResourceIndicators.identifierProblem(uri).ifPresent(problem -> { throw new AdminException(problem); });
        if (uri.equals(streamingApi)) throw new AdminException(uri + " is the Streaming API, which is always known");
        TextRule.NAME.problem(name).ifPresent(problem -> { throw new AdminException("the name " + problem); });
        if (name.isBlank()) throw new AdminException("the name must not be blank");
        Resource resource = new Resource(uri, name.strip(), scopes.map(Resources::parseScopes), clock.instant());
        if (!store.insert(resource)) throw new AdminException("a resource " + uri + " is registered already");
        changed.run();
        auditStore.record(by.stamp(audit.success(AuditEvent.Type.RESOURCE_ADDED).detail("resource " + uri
                + resource.scopes().map(s -> ", scopes " + s.wireValue()).orElse(", any scope"))));
        return resource;
    }

    /** The Streaming API, then every registered resource by URI. */
    public List<Resource> list() {
        List<Resource> all = new ArrayList<>();
        all.add(new Resource(streamingApi, "Streaming API", Optional.empty(), java.time.Instant.EPOCH));
        all.addAll(store.list());
        return all;
    }

    /** Removes a registered resource, by {@code by}; tokens already issued for it keep their audience. */
    public void remove(String uri, Operator by) {
        if (uri.equals(streamingApi)) throw new AdminException(uri + " is the Streaming API, which cannot be removed");
        // What could not be registered is not looked for (PostgreSQL refuses a NUL in a string with an error).
        ResourceIndicators.identifierProblem(uri).ifPresent(problem -> { throw new AdminException(problem); });
        if (!store.delete(uri)) throw new AdminException.NotFound("no resource " + uri);
        changed.run();
        auditStore.record(by.stamp(audit.success(AuditEvent.Type.RESOURCE_REMOVED).detail("resource " + uri)));
    }

    /** A resource as listings show it. */
    public Map<String, Object> describe(Resource resource) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uri", resource.uri());
        body.put("name", resource.name());
        body.put("scopes", resource.scopes().map(s -> List.copyOf(s.values())).orElse(null));
        body.put("built_in", resource.uri().equals(streamingApi));
        return body;
    }

    private static Scope parseScopes(String raw) {
        TreeSet<String> values = new TreeSet<>();
        for (String value : raw.split("[ ,]+")) {
            if (value.isEmpty()) continue;
            if (!Scope.KNOWN.contains(value)) {
                throw new AdminException("unknown scope " + (value.length() <= 40 ? value : value.substring(0, 40) + "...")
                        + "; known: " + String.join(", ", Scope.KNOWN));
            }
            values.add(value);
        }
        if (values.isEmpty()) throw new AdminException("--scopes names no scope; leave it out to allow any");
        return new Scope(values);
    }
}
