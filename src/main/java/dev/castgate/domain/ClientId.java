package dev.castgate.domain;

import java.util.Objects;

/**
 * A client's identifier (RFC 6749 §2.2), typed so that it cannot be passed where a user's or a
 * grant's id is meant. {@link #toString()} is the bare value, so logs and audit details read as
 * the plain string did; JSON, pages and claims take {@link #value()}.
 */
public record ClientId(String value) {
    public ClientId {
        Objects.requireNonNull(value, "value");
    }

    @Override public String toString() { return value; }
}
