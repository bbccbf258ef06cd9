package dev.castgate.api;

import dev.castgate.domain.Audience;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.Scope;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import java.util.Optional;

/**
 * Who an API request acts for: the token's user (a client_credentials token acts for its client's
 * owner), its client, its scope and its audience. The token itself is known only by its hash.
 * {@code dpop}: it came with the DPoP scheme, so its refusals carry a DPoP challenge (RFC 9449 §7.1).
 */
public record Caller(TokenHash tokenHash, Optional<UserId> userId, ClientId clientId, Scope scope, Audience audience, boolean dpop) {
    /** The refusal as this request's scheme answers it. */
    public OAuthException refusal(OAuthException e) { return dpop ? e.inDpopChallenge() : e; }

    /**
     * RFC 8707: a token its client narrowed to named resources is good only at those. The
     * {@code identifiers} name the resource this request is served by (the issuer names them all,
     * as a default token's audience does); a default token is good at every one.
     */
    public void requireAudience(String... identifiers) {
        for (String identifier : identifiers) if (audience.admits(identifier)) return;
        throw refusal(OAuthException.invalidToken("the access token is for another resource"));
    }

    /** The user this token acts for; a token of a client without an owner owns nothing. */
    public UserId requireUser() {
        return userId.orElseThrow(() -> new OAuthException(OAuthError.LACK_OF_OWNERSHIP, "the access token acts for no user"));
    }

    public void requireScope(String needed) {
        if (!scope.contains(needed)) {
            throw refusal(new OAuthException(OAuthError.INSUFFICIENT_SCOPE, "the access token lacks the " + needed + " scope"));
        }
    }

    /** Whether this token acts for {@code ownerId}. */
    public boolean owns(UserId ownerId) { return userId.map(ownerId::equals).orElse(false); }

    /** Whether a request that may come without a token acts for {@code ownerId}: the owner is shown more. */
    static boolean owns(Optional<Caller> caller, UserId ownerId) { return caller.map(c -> c.owns(ownerId)).orElse(false); }

    public void requireOwnerOf(UserId ownerId, String what) {
        if (!owns(ownerId)) throw new OAuthException(OAuthError.LACK_OF_OWNERSHIP, "the access token's user does not own this " + what);
    }
}
