package dev.castgate.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
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

    /**
     * Why {@code raw} cannot be a client's jwks_uri, if it cannot: it must be an absolute https URL
     * without a fragment; plain http is accepted only for a loopback host (a key server on the same
     * machine, as in tests), where no one between could change the keys.
     */
    public static Optional<String> jwksUriProblem(String raw) { return fetchableUriProblem("jwks_uri", raw); }

    /**
     * The same rule for any document the server fetches from an address a client gives
     * ({@code name}: the parameter, as the reason names it), such as a request object's {@code request_uri}.
     */
    public static Optional<String> fetchableUriProblem(String name, String raw) {
        if (raw.length() > MAX_JWKS_URI) return Optional.of("the " + name + " must be at most " + MAX_JWKS_URI + " characters");
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return Optional.of("the " + name + " is not a valid URI");
        }
        if (!uri.isAbsolute() || uri.getHost() == null) return Optional.of("the " + name + " must be an absolute URL");
        if (uri.getRawFragment() != null) return Optional.of("the " + name + " must not have a fragment");
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) return Optional.empty();
        String host = uri.getHost();
        if (scheme.equals("http") && ("localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host))) return Optional.empty();
        return Optional.of("the " + name + " must use https (http only for localhost and loopback addresses)");
    }
}
