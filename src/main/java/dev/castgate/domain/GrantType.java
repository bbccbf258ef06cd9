package dev.castgate.domain;

import java.util.Optional;

/** Grant types of the token endpoint (RFC 6749 §4). */
public enum GrantType {
    AUTHORIZATION_CODE("authorization_code"),
    REFRESH_TOKEN("refresh_token"),
    CLIENT_CREDENTIALS("client_credentials");

    private final String wireName;

    GrantType(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }

    public static Optional<GrantType> find(String raw) {
        for (GrantType t : values()) if (t.wireName.equals(raw)) return Optional.of(t);
        return Optional.empty();
    }
}
