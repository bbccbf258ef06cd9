package dev.castgate.domain;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The claims about a person that Castgate holds and releases (OIDC Core §5.1), each with the
 * scope that carries it (§5.4), and their values for an account. The one home of that mapping:
 * userinfo, the ID token and the claims request parameter all read it. An account has no
 * picture and keeps no language of its own, so {@code picture} and {@code locale} are never
 * released.
 */
public final class UserClaims {
    public static final String NAME = "name";
    public static final String PREFERRED_USERNAME = "preferred_username";
    public static final String UPDATED_AT = "updated_at";
    public static final String EMAIL = "email";
    public static final String EMAIL_VERIFIED = "email_verified";

    /** Each releasable claim and the scope that carries it, in the order responses list them. */
    private static final Map<String, String> SCOPE_OF = scopes();

    private UserClaims() {}

    private static Map<String, String> scopes() {
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put(NAME, Scope.PROFILE);
        scopes.put(PREFERRED_USERNAME, Scope.PROFILE);
        scopes.put(UPDATED_AT, Scope.PROFILE);
        scopes.put(EMAIL, Scope.EMAIL);
        scopes.put(EMAIL_VERIFIED, Scope.EMAIL);
        return Collections.unmodifiableMap(scopes);
    }

    /** Every claim Castgate can release about a person. */
    public static Set<String> names() { return SCOPE_OF.keySet(); }

    /** Whether Castgate can release {@code claim}. */
    public static boolean releasable(String claim) { return SCOPE_OF.containsKey(claim); }

    /** The scope that carries {@code claim}, which must be releasable. */
    public static String scopeOf(String claim) { return SCOPE_OF.get(claim); }

    /** The claims {@code scope} releases (§5.4). */
    public static Set<String> releasedBy(Scope scope) {
        Set<String> released = new LinkedHashSet<>();
        SCOPE_OF.forEach((claim, carrier) -> { if (scope.contains(carrier)) released.add(claim); });
        return released;
    }

    /**
     * The values of the {@code wanted} claims for {@code user}, in the standard order; a claim
     * the account has no value for (a name never given) is left out (§5.3.2).
     */
    public static Map<String, Object> of(User user, Collection<String> wanted) {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (String claim : SCOPE_OF.keySet()) {
            if (!wanted.contains(claim)) continue;
            switch (claim) {
                case NAME -> user.name().ifPresent(name -> claims.put(NAME, name));
                case PREFERRED_USERNAME -> claims.put(PREFERRED_USERNAME, user.username());
                // §5.1: seconds since the epoch.
                case UPDATED_AT -> claims.put(UPDATED_AT, user.updatedAt().getEpochSecond());
                case EMAIL -> claims.put(EMAIL, user.email());
                case EMAIL_VERIFIED -> claims.put(EMAIL_VERIFIED, user.emailVerified());
                default -> throw new IllegalStateException("no value for " + claim);
            }
        }
        return claims;
    }
}
