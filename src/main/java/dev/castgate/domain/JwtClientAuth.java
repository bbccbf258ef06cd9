package dev.castgate.domain;

import java.util.Optional;

/**
 * How a client registered for JWT client authentication (RFC 7523 §2.2) proves itself:
 * {@code private_key_jwt} with the public keys of {@code jwks} (a JSON JWK Set) or of the set at
 * {@code jwksUri}; or {@code client_secret_jwt} with an HMAC keyed by its secret, which is kept
 * sealed ({@code sealedSecret}) because the hash that checks other secrets cannot check an HMAC.
 */
public record JwtClientAuth(ClientAuthMethod method, Optional<String> jwks, Optional<String> jwksUri, Optional<String> sealedSecret) {
    public JwtClientAuth {
        if (!method.jwt()) throw new IllegalArgumentException("not a JWT client authentication method: " + method.wireName());
    }

    /** The longest jwks_uri kept. */
    public static final int MAX_JWKS_URI = 2000;

    /** Why {@code raw} cannot be a client's jwks_uri, if it cannot ({@link OutboundUri}). */
    public static Optional<String> jwksUriProblem(String raw) {
        return OutboundUri.problem(raw, "jwks_uri", MAX_JWKS_URI);
    }
}
