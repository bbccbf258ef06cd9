package dev.castgate.admin;

import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.IdTokenAlgorithm;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.store.AuditStore;
import dev.castgate.store.ClientStore;
import dev.castgate.store.Stores;
import dev.castgate.store.UserStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Registering clients, with the checks RFC 6749 §3.1.2 and RFC 8252 ask of redirect URIs. */
public final class ClientRegistrations {
    /** What an operator asks for. Empty grant types or scope mean the defaults for the type. */
    public record Request(String name, ClientType type, List<String> redirectUris, Set<GrantType> grantTypes,
                          Optional<Scope> scope, Optional<String> ownerLogin, Optional<Duration> accessTokenTtl,
                          IdTokenAlgorithm idTokenAlgorithm, AccessTokenFormat accessTokenFormat,
                          Duration refreshGrace) {}

    /** The new client and its secret, which is shown this once and stored only as a hash. */
    public record Registered(Client client, Optional<String> secret) {}

    private final ClientStore clients;
    private final UserStore users;
    private final AuditStore auditStore;
    private final AuditTrail audit;
    private final RandomTokens random;
    private final Clock clock;

    public ClientRegistrations(Stores stores, RandomTokens random, Clock clock) {
        this.clients = stores.clients();
        this.users = stores.users();
        this.auditStore = stores.audit();
        this.audit = new AuditTrail(random, clock);
        this.random = random;
        this.clock = clock;
    }

    public Registered register(Request request) {
        if (request.name().isBlank() || request.name().length() > 200) throw new AdminException("the name must be 1 to 200 characters");
        Set<GrantType> grants = request.grantTypes().isEmpty() ? defaultGrants(request.type()) : EnumSet.copyOf(request.grantTypes());
        if (request.type() == ClientType.NATIVE && grants.contains(GrantType.CLIENT_CREDENTIALS)) {
            throw new AdminException("a native client has no secret, so it cannot use client_credentials");
        }
        if (grants.contains(GrantType.AUTHORIZATION_CODE) && request.redirectUris().isEmpty()) {
            throw new AdminException("the authorization_code grant needs at least one --redirect-uri");
        }
        for (String uri : request.redirectUris()) checkRedirectUri(uri, request.type());
        Scope scope = request.scope().orElse(new Scope(new java.util.TreeSet<>(Scope.KNOWN)));
        Set<String> unknown = scope.missingFrom(new Scope(new java.util.TreeSet<>(Scope.KNOWN)));
        if (!unknown.isEmpty()) throw new AdminException("unknown scope: " + String.join(" ", unknown));
        Optional<String> ownerId = request.ownerLogin().map(login -> users.findByLogin(login)
                .map(User::id).orElseThrow(() -> new AdminException("no user '" + login + "' to own the client")));
        request.accessTokenTtl().filter(ttl -> ttl.isNegative() || ttl.isZero())
                .ifPresent(ttl -> { throw new AdminException("the access token lifetime must be positive"); });
        if (request.refreshGrace().isNegative() || request.refreshGrace().compareTo(Client.MAX_REFRESH_GRACE) > 0) {
            throw new AdminException("the refresh grace window must be 0 to " + Client.MAX_REFRESH_GRACE.toSeconds() + " seconds");
        }

        Optional<String> secret = request.type().confidential() ? Optional.of(random.hex40()) : Optional.empty();
        Client client = new Client(random.hex40(), request.name().strip(), request.type(), secret.map(Hashes::sha256Hex),
                List.copyOf(request.redirectUris()), grants, scope, ownerId, request.accessTokenTtl(),
                request.idTokenAlgorithm(), request.accessTokenFormat(), request.refreshGrace(), clock.instant());
        clients.insert(client);
        auditStore.record(audit.success(AuditEvent.Type.CLIENT_CREATED).client(client.id()).user(ownerId)
                .detail(client.type().wireName() + " client '" + client.name() + "'"));
        return new Registered(client, secret);
    }

    /** Removes a client; every grant and token it holds goes with it. */
    public void remove(String clientId) {
        if (!clients.delete(clientId)) throw new AdminException("no client " + clientId);
        auditStore.record(audit.success(AuditEvent.Type.CLIENT_REMOVED).client(clientId));
    }

    private static Set<GrantType> defaultGrants(ClientType type) {
        return type == ClientType.WEB
                ? EnumSet.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS)
                : EnumSet.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
    }

    /**
     * Absolute, no fragment (RFC 6749 §3.1.2); https, or http only on this machine. Native apps
     * may also use a private-use scheme such as com.example.app:/callback (RFC 8252 §7.1).
     */
    static void checkRedirectUri(String raw, ClientType type) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new AdminException("'" + raw + "' is not a valid URI");
        }
        if (!uri.isAbsolute()) throw new AdminException("redirect URI '" + raw + "' must be absolute");
        if (uri.getRawFragment() != null) throw new AdminException("redirect URI '" + raw + "' must not have a fragment");
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) return;
        if (scheme.equals("http")) {
            String host = uri.getHost();
            if ("localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host)) return;
            throw new AdminException("redirect URI '" + raw + "' must use https (http only for localhost and loopback addresses)");
        }
        if (type == ClientType.NATIVE && scheme.contains(".")) return;
        throw new AdminException("redirect URI '" + raw + "' must use https"
                + (type == ClientType.NATIVE ? " or a private-use scheme such as com.example.app" : ""));
    }
}
