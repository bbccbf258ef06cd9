package dev.castgate.dpop;

import dev.castgate.domain.TokenHash;
import java.time.Instant;

/**
 * A DPoP proof that passed every check of RFC 9449 §4.3: {@code jkt} is the JWK SHA-256
 * thumbprint (RFC 7638) of the key that signed it, which a token is bound to or must match;
 * {@code jtiHash} names it, with its key, for the replay check (§11.1), which holds it until
 * {@code replayableUntil}, when its {@code iat} leaves the window and it is refused for that.
 */
public record DpopProof(String jkt, TokenHash jtiHash, Instant replayableUntil) {}
