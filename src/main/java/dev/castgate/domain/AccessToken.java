package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A live access token as the resource side sees it: its grant is not revoked and it is unexpired.
 * {@code audience}: the resources it is for (RFC 8707), the default unless the client named some.
 */
public record AccessToken(
        TokenHash hash,
        GrantId grantId,
        ClientId clientId,
        Optional<UserId> userId,
        Scope scope,
        Instant issuedAt,
        Instant expiresAt,
        Audience audience) {

    /** A token for the default audience. */
    public AccessToken(TokenHash hash, GrantId grantId, ClientId clientId, Optional<UserId> userId, Scope scope, Instant issuedAt,
                       Instant expiresAt) {
        this(hash, grantId, clientId, userId, scope, issuedAt, expiresAt, Audience.DEFAULT);
    }
}
