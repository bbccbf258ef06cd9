package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/** A live access token as the resource side sees it: its grant is not revoked and it is unexpired. */
public record AccessToken(
        TokenHash hash,
        GrantId grantId,
        ClientId clientId,
        Optional<UserId> userId,
        Scope scope,
        Instant issuedAt,
        Instant expiresAt) {}
