package dev.castgate.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.AccessToken;
import dev.castgate.domain.TokenHash;
import dev.castgate.dpop.DpopProofs;
import dev.castgate.error.OAuthException;
import dev.castgate.http.PresentedToken;
import dev.castgate.keys.SigningKeys;
import dev.castgate.store.TokenStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The Streaming API's only view of access tokens. Opaque and JWT access tokens are both stored
 * by the SHA-256 of the whole token, so both are found by one indexed query that also checks
 * expiry, revocation and the grant. A live token is then cached for {@link #CACHE_TTL}, so hot
 * API calls skip the database. On PostgreSQL every revocation empties the cache on every node as
 * it commits ({@link #forgetAll}); on SQLite, and while a node cannot hear the database, a token
 * revoked (or whose grant is revoked) keeps working on a node for at most the TTL. Expiry, and
 * for a JWT that its signing key is not retired, are
 * checked on every call, cached or not.
 */
public final class TokenVerifier {
    /** The documented revocation delay of the Streaming API. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final TokenStore tokens;
    private final SigningKeys keys;
    private final Clock clock;
    private final DpopProofs dpop;
    private final Cache<TokenHash, AccessToken> cache;

    public TokenVerifier(TokenStore tokens, SigningKeys keys, Clock clock, DpopProofs dpop) {
        this.tokens = tokens;
        this.keys = keys;
        this.clock = clock;
        this.dpop = dpop;
        // The cache reads the injected clock, so tests move time instead of sleeping.
        this.cache = Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).maximumSize(100_000)
                .ticker(() -> clock.millis() * 1_000_000L).build();
    }

    /**
     * The caller behind a presented token; invalid_token when it is malformed, unknown, expired or
     * revoked, and for a DPoP-bound token, unless a proof of its key came with it (RFC 9449 §7).
     * Refusals carry the challenge of the request's scheme. {@code origin}: where the request was
     * sent, which a DPoP proof names (the issuer, or the Streaming API's own port's origin).
     */
    public Caller verify(Context ctx, String origin, PresentedToken presented) {
        try {
            String value = presented.value();
            if (value.isEmpty() || value.length() > MAX_TOKEN_LENGTH) throw invalid();
            TokenHash hash = Hashes.tokenHash(value);
            Instant now = clock.instant();
            AccessToken token = cache.getIfPresent(hash);
            if (token == null) {
                token = tokens.findActiveAccessToken(hash, now).orElseThrow(TokenVerifier::invalid);
                cache.put(hash, token);
            }
            if (!token.expiresAt().isAfter(now) || !keys.stillPublished(value)) throw invalid();
            dpop.requireBinding(ctx, origin, presented, token.jkt());
            return new Caller(hash, token.userId(), token.clientId(), token.scope(), token.audience(), presented.dpop());
        } catch (OAuthException e) {
            throw presented.refusal(e);
        }
    }

    /**
     * Forgets every cached token: a revocation names no token (a grant's or an account's covers
     * many), and the live ones are read again at their next call.
     */
    public void forgetAll() { cache.invalidateAll(); }

    /** The caller, or invalid_token when no token was sent. */
    public Caller require(Context ctx, String origin, Optional<PresentedToken> presented) {
        return verify(ctx, origin, presented.orElseThrow(() -> OAuthException.invalidToken("no access token was sent")));
    }

    private static OAuthException invalid() {
        return OAuthException.invalidToken("the access token is invalid, expired or revoked");
    }
}
