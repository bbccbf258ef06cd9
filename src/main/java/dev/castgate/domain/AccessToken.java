package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A live access token as the resource side sees it: its grant is not revoked and it is unexpired.
 * {@code audience}: the resources it is for (RFC 8707), the default unless the client named some.
 * {@code jkt}: the thumbprint of the key it is bound to (RFC 9449 §6), empty for a bearer token.
 */
public record AccessToken(
        TokenHash hash,
        GrantId grantId,
        ClientId clientId,
        Optional<UserId> userId,
        Scope scope,
        Instant issuedAt,
        Instant expiresAt,
        Audience audience,
        Optional<String> jkt) {

    /** A bearer token for the default audience. */
    public AccessToken(TokenHash hash, GrantId grantId, ClientId clientId, Optional<UserId> userId, Scope scope, Instant issuedAt,
                       Instant expiresAt) {
        this(hash, grantId, clientId, userId, scope, issuedAt, expiresAt, Audience.DEFAULT, Optional.empty());
    }

    /** Whether it may only be used with a proof of its key (RFC 9449 §7). */
    public boolean dpopBound() { return jkt.isPresent(); }
}
