package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A refresh token row, stored by hash; {@code usedAt} is set when it is rotated. {@code jkt}: the
 * thumbprint of the key a public client's token is bound to (RFC 9449 §5), empty otherwise.
 */
public record RefreshToken(
        TokenHash hash,
        GrantId grantId,
        ClientId clientId,
        Optional<UserId> userId,
        Scope scope,
        Instant issuedAt,
        Instant expiresAt,
        Optional<Instant> usedAt,
        Optional<String> jkt) {

    /** A token bound to no key. */
    public RefreshToken(TokenHash hash, GrantId grantId, ClientId clientId, Optional<UserId> userId, Scope scope, Instant issuedAt,
                        Instant expiresAt, Optional<Instant> usedAt) {
        this(hash, grantId, clientId, userId, scope, issuedAt, expiresAt, usedAt, Optional.empty());
    }
}
