package dev.castgate.domain;

import java.util.Objects;

/**
 * The stored form of a generated secret: the hex SHA-256 of a token, a code, a session value, a
 * device or user code, a client secret, a channel key or a device password (DESIGN.md, rule 8).
 * Typed so that a hash cannot be passed where an id or the secret itself is meant.
 * {@link #toString()} is the bare value.
 */
public record TokenHash(String value) {
    public TokenHash {
        Objects.requireNonNull(value, "value");
    }

    @Override public String toString() { return value; }
}
