package dev.castgate.authorize;

import java.util.Locale;
import java.util.Optional;

/** OIDC Core §3.1.2.1 prompt values. */
public enum Prompt {
    NONE, LOGIN, CONSENT, SELECT_ACCOUNT;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Prompt> find(String raw) {
        for (Prompt p : values()) if (p.wireName().equals(raw)) return Optional.of(p);
        return Optional.empty();
    }
}
