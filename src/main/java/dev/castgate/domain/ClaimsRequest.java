package dev.castgate.domain;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The person claims an authorization request asked for by name with the {@code claims}
 * parameter (OIDC Core §5.5), for the ID token and for userinfo, among those Castgate releases
 * ({@link UserClaims}). Kept with the grant, so every ID token and every userinfo answer of the
 * grant returns them, whether or not the scope that usually carries them was asked for.
 */
public record ClaimsRequest(Set<String> idToken, Set<String> userinfo) {
    public static final ClaimsRequest NONE = new ClaimsRequest(Set.of(), Set.of());

    private static final String ID_TOKEN = "id_token.";
    private static final String USERINFO = "userinfo.";

    public ClaimsRequest {
        idToken = Collections.unmodifiableSet(new TreeSet<>(idToken));
        userinfo = Collections.unmodifiableSet(new TreeSet<>(userinfo));
    }

    public boolean isEmpty() { return idToken.isEmpty() && userinfo.isEmpty(); }

    /** The scopes whose claims it asks for: the person consents to those, as to the request's scope. */
    public Scope scopes() {
        TreeSet<String> scopes = new TreeSet<>();
        idToken.forEach(claim -> scopes.add(UserClaims.scopeOf(claim)));
        userinfo.forEach(claim -> scopes.add(UserClaims.scopeOf(claim)));
        return new Scope(scopes);
    }

    /** Its stored form: the claims as {@code id_token.name userinfo.email}, sorted; empty for none. */
    public String storedForm() {
        Set<String> tokens = new LinkedHashSet<>();
        idToken.forEach(claim -> tokens.add(ID_TOKEN + claim));
        userinfo.forEach(claim -> tokens.add(USERINFO + claim));
        return String.join(" ", tokens);
    }

    /** Reads {@link #storedForm}; a claim Castgate no longer releases is dropped. */
    public static ClaimsRequest fromStored(String stored) {
        if (stored == null || stored.isBlank()) return NONE;
        Set<String> idToken = new TreeSet<>();
        Set<String> userinfo = new TreeSet<>();
        for (String token : stored.split(" ")) {
            if (token.startsWith(ID_TOKEN) && UserClaims.releasable(token.substring(ID_TOKEN.length()))) {
                idToken.add(token.substring(ID_TOKEN.length()));
            } else if (token.startsWith(USERINFO) && UserClaims.releasable(token.substring(USERINFO.length()))) {
                userinfo.add(token.substring(USERINFO.length()));
            }
        }
        return new ClaimsRequest(idToken, userinfo);
    }
}
