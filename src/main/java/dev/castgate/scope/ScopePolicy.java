package dev.castgate.scope;

import dev.castgate.domain.Client;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.error.OAuthException;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** Which requested scopes a client may have (RFC 6749 §3.3). */
public final class ScopePolicy {
    private ScopePolicy() {}

    /** Parses a scope parameter; invalid_scope for characters outside the scope-token syntax. */
    public static Scope parse(Optional<String> raw) {
        Scope scope = Scope.parseOrNull(raw.orElse(""));
        if (scope == null) throw OAuthException.invalidScope("scope holds characters that are not allowed");
        return scope;
    }

    /**
     * The request less the scopes that are accepted and mean nothing here, {@code offline} and
     * {@code offline_access}, wherever a scope is asked for: at authorization and on refresh.
     */
    public static Scope withoutIgnored(Scope requested) { return requested.without(Scope.OFFLINE).without(Scope.OFFLINE_ACCESS); }

    /**
     * The scope to grant: the request less {@code offline}, which the original service's clients
     * still send and which means nothing now, and less OpenID Connect's {@code offline_access},
     * whose refresh token comes anyway. Unknown scopes, and scopes the client is not
     * registered for, are refused by name.
     */
    public static Scope grantable(Scope requested, Client client) {
        refuseAdmin(requested);
        Scope wanted = withoutIgnored(requested);
        SortedSet<String> unknown = new TreeSet<>(wanted.values());
        unknown.removeAll(Scope.KNOWN);
        if (!unknown.isEmpty()) throw OAuthException.invalidScope("unknown scope: " + String.join(" ", unknown));
        SortedSet<String> notAllowed = wanted.missingFrom(client.allowedScope());
        if (!notAllowed.isEmpty()) {
            throw OAuthException.invalidScope("the client is not allowed the scope: " + String.join(" ", notAllowed));
        }
        return wanted;
    }

    /**
     * The same for a grant through which {@code admin} may come: granted where the client may
     * receive it by {@code grantType} ({@link Client#mayReceiveAdminScope}, the one rule), refused
     * with invalid_scope otherwise; the rest of the request as {@link #grantable}.
     */
    public static Scope grantable(Scope requested, Client client, GrantType grantType) {
        if (!requested.contains(Scope.ADMIN)) return grantable(requested, client);
        if (!client.mayReceiveAdminScope(grantType)) refuseAdmin(requested);
        return grantable(requested.without(Scope.ADMIN), client).union(Scope.of(Scope.ADMIN));
    }

    /** invalid_scope where {@code admin} is asked for where it cannot be had: every grant but an admin client's client_credentials. */
    public static void refuseAdmin(Scope requested) {
        if (requested.contains(Scope.ADMIN)) {
            throw OAuthException.invalidScope("the admin scope is given only to admin clients, through the client_credentials grant");
        }
    }
}
