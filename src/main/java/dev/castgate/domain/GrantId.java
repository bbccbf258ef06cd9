package dev.castgate.domain;

import java.util.Objects;

/**
 * A grant's identifier, which every code and token carries (revoking the grant ends them all);
 * typed so that it cannot be passed where another id is meant. {@link #toString()} is the bare value.
 */
public record GrantId(String value) {
    public GrantId {
        Objects.requireNonNull(value, "value");
    }

    @Override public String toString() { return value; }
}
