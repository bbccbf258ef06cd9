package dev.castgate.domain;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** A set of scope tokens (RFC 6749 §3.3); its wire form is the space-separated, sorted list. */
public record Scope(SortedSet<String> values) {
    public static final String OPENID = "openid";
    public static final String EMAIL = "email";
    public static final String PROFILE = "profile";
    public static final String BROADCASTER = "broadcaster";
    /** The original service's scope for never-expiring tokens; accepted and ignored. */
    public static final String OFFLINE = "offline";
    /**
     * OpenID Connect Core §11's request for a refresh token; accepted and ignored, since a client
     * registered for the refresh grant gets one with every code anyway.
     */
    public static final String OFFLINE_ACCESS = "offline_access";

    /**
     * The admin API's scope. Not among {@link #KNOWN}: no person consents to it and no client is
     * registered for it; an admin client receives it through client_credentials alone
     * ({@link Client#mayReceiveAdminScope}).
     */
    public static final String ADMIN = "admin";

    /** Scopes a token can carry for a person, in the order the consent page lists them. */
    public static final Set<String> KNOWN = Collections.unmodifiableSet(
            new java.util.LinkedHashSet<>(java.util.List.of(OPENID, PROFILE, EMAIL, BROADCASTER)));

    public static final Scope EMPTY = new Scope(new TreeSet<>());

    public Scope {
        values = Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    /**
     * Splits a scope string; returns null when a token holds a character outside RFC 6749 §3.3's
     * scope-token syntax, so the caller can answer with its own error.
     */
    public static Scope parseOrNull(String raw) {
        if (raw == null || raw.isBlank()) return EMPTY;
        TreeSet<String> values = new TreeSet<>();
        for (String token : raw.split(" ")) {
            if (token.isEmpty()) continue;
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) return null;
            }
            values.add(token);
        }
        return new Scope(values);
    }

    public static Scope of(String... values) { return new Scope(new TreeSet<>(java.util.List.of(values))); }

    public boolean contains(String value) { return values.contains(value); }

    public boolean isEmpty() { return values.isEmpty(); }

    public boolean containsAll(Scope other) { return values.containsAll(other.values); }

    public Scope without(String value) {
        TreeSet<String> copy = new TreeSet<>(values);
        copy.remove(value);
        return new Scope(copy);
    }

    public Scope union(Scope other) {
        TreeSet<String> all = new TreeSet<>(values);
        all.addAll(other.values);
        return new Scope(all);
    }

    /** The tokens of this scope that {@code allowed} lacks. */
    public SortedSet<String> missingFrom(Scope allowed) {
        TreeSet<String> missing = new TreeSet<>(values);
        missing.removeAll(allowed.values);
        return missing;
    }

    public String wireValue() { return String.join(" ", values); }

    @Override public String toString() { return wireValue(); }
}
