package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * An initial access token (RFC 7591 §3): made by an operator, it lets clients register
 * themselves until {@code expiresAt}, {@code usesLeft} more times (empty: any number of times
 * until then). Only its hash is stored; {@code id} names it in listings and on revocation.
 */
public record RegistrationToken(String id, TokenHash hash, Instant createdAt, Instant expiresAt, Optional<Integer> usesLeft) {
    /** Whether a registration may use it at {@code now}. */
    public boolean usableAt(Instant now) {
        return now.isBefore(expiresAt) && usesLeft.map(uses -> uses > 0).orElse(true);
    }
}
