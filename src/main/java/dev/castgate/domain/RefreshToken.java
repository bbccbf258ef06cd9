package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/** A refresh token row, stored by hash; {@code usedAt} is set when it is rotated. */
public record RefreshToken(
        String hash,
        String grantId,
        String clientId,
        Optional<String> userId,
        Scope scope,
        Instant issuedAt,
        Instant expiresAt,
        Optional<Instant> usedAt) {}
