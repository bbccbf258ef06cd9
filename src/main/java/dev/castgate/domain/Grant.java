package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One authorization a user (or, for client credentials, a client's owner) gave a client: every
 * code, access token and refresh token carries its grant id, so ending a grant is one statement.
 */
public record Grant(
        GrantId id,
        Optional<UserId> userId,
        ClientId clientId,
        Scope scope,
        Optional<String> deviceName,
        Instant authTime,
        Instant createdAt,
        Optional<Instant> revokedAt) {}
