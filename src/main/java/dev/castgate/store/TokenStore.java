package dev.castgate.store;

import dev.castgate.domain.GrantId;
import dev.castgate.domain.AccessToken;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.TokenHash;
import java.time.Instant;
import java.util.Optional;

/** Access and refresh tokens, stored by hash; they are written through {@link IssuanceWriter}. */
public interface TokenStore {
    /**
     * The token if it is unexpired, unrevoked, its grant is live and its account (if any) is not
     * disabled: one indexed query. Disabling revokes the account's grants as well; the account's
     * own mark also refuses a token issued by a request that was checked just before.
     */
    Optional<AccessToken> findActiveAccessToken(TokenHash hash, Instant now);

    /**
     * The token as introspection describes it: active as {@link #findActiveAccessToken}, with the
     * username of the account it acts for (empty when it acts for none), in the same one query.
     */
    Optional<ActiveAccessToken> findActiveAccessTokenWithUsername(TokenHash hash, Instant now);

    /** An active access token and the username of its account, if it has one. */
    record ActiveAccessToken(AccessToken token, Optional<String> username) {}

    /** The access token whatever its state, for revocation, which must check whose it is first. */
    Optional<AccessToken> findAccessToken(TokenHash hash);

    /** Ends one access token in one statement; false when it was revoked already or does not exist. */
    boolean revokeAccessToken(TokenHash hash, Instant now);

    /** The refresh token whatever its state, joined with nothing: the caller decides. */
    Optional<RefreshToken> findRefreshToken(TokenHash hash);

    /** Whether its grant is revoked; refresh tokens of revoked grants are dead. */
    boolean grantRevoked(GrantId grantId);

    /**
     * Records a DPoP proof the token endpoint accepts, by the hash of its key and jti, until it is
     * too old to be accepted anyway; false when it was recorded before (RFC 9449 §11.1: a replay).
     */
    boolean recordDpopProof(TokenHash jtiHash, Instant expiresAt);

    /** Marks a refresh token used in one atomic statement; false when it was used, revoked or expired already. */
    boolean markRefreshTokenUsed(TokenHash hash, Instant now);
}
