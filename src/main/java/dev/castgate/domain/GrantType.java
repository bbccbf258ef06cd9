package dev.castgate.domain;

import java.util.Optional;

/** Grant types of the token endpoint (RFC 6749 §4, RFC 8628). */
public enum GrantType {
    AUTHORIZATION_CODE("authorization_code"),
    REFRESH_TOKEN("refresh_token"),
    CLIENT_CREDENTIALS("client_credentials"),
    /** RFC 6749 §4.3, for the original service's trusted legacy clients only: off unless a client is registered for it. */
    PASSWORD("password"),
    /** RFC 8628 §3.4. */
    DEVICE_CODE("urn:ietf:params:oauth:grant-type:device_code");

    private final String wireName;

    GrantType(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }

    public static Optional<GrantType> find(String raw) {
        for (GrantType t : values()) if (t.wireName.equals(raw)) return Optional.of(t);
        return Optional.empty();
    }
}
