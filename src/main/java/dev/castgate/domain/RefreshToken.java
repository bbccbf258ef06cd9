package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/** A refresh token row, stored by hash; {@code usedAt} is set when it is rotated. */
public record RefreshToken(
        TokenHash hash,
        GrantId grantId,
        ClientId clientId,
        Optional<UserId> userId,
        Scope scope,
        Instant issuedAt,
        Instant expiresAt,
        Optional<Instant> usedAt) {}
