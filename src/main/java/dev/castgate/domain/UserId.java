package dev.castgate.domain;

import java.util.Objects;

/**
 * An account's identifier, the stable OIDC subject ({@code sub}), typed so that it cannot be
 * passed where a client's or a grant's id is meant. {@link #toString()} is the bare value.
 */
public record UserId(String value) {
    public UserId {
        Objects.requireNonNull(value, "value");
    }

    @Override public String toString() { return value; }
}
