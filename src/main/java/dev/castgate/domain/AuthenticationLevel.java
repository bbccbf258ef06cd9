package dev.castgate.domain;

import java.util.Optional;

/**
 * The authentication context classes Castgate reports in {@code acr} and accepts in
 * {@code acr_values} (OIDC Core §2, §3.1.2.1): {@code "1"}, a password; {@code "2"}, a password
 * and a second factor. A higher level satisfies a request for a lower one.
 */
public enum AuthenticationLevel {
    PASSWORD("1"), SECOND_FACTOR("2");

    private final String wireName;

    AuthenticationLevel(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }

    /** Whether a sign-in at this level meets a request for {@code requested}. */
    public boolean satisfies(AuthenticationLevel requested) { return compareTo(requested) >= 0; }

    /** The level of a value Castgate defines; other values are not Castgate's and are ignored. */
    public static Optional<AuthenticationLevel> find(String wireName) {
        for (AuthenticationLevel level : values()) if (level.wireName.equals(wireName)) return Optional.of(level);
        return Optional.empty();
    }
}
