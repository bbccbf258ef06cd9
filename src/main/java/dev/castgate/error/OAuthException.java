package dev.castgate.error;

/**
 * An expected protocol failure. The description is shown to the client, so it never holds a
 * secret, a token or an internal detail.
 */
public final class OAuthException extends RuntimeException {
    private final OAuthError error;
    /** The scope an insufficient_scope answer names in its challenge (RFC 6750 §3), or null. */
    private final String scope;
    /** Whether a protected resource answers a request that used the DPoP scheme (RFC 9449 §7.1): its challenge is DPoP. */
    private final boolean dpopChallenge;
    /** The nonce the answer gives the client for its next proof (RFC 9449 §8, §9), or null. */
    private final String dpopNonce;

    public OAuthException(OAuthError error, String description) {
        this(error, description, null, false, null);
    }

    private OAuthException(OAuthError error, String description, String scope, boolean dpopChallenge, String dpopNonce) {
        super(description, null, false, false); // no stack trace: these are answers, not faults
        this.error = error;
        this.scope = scope;
        this.dpopChallenge = dpopChallenge;
        this.dpopNonce = dpopNonce;
    }

    /** The same refusal, answered by a protected resource to a request with the DPoP scheme: a 401 (or 403) with a DPoP challenge. */
    public OAuthException inDpopChallenge() {
        return dpopChallenge ? this : new OAuthException(error, description(), scope, true, dpopNonce);
    }

    /** The same refusal, giving the client {@code nonce} for its next DPoP proof in a {@code DPoP-Nonce} header. */
    public OAuthException withDpopNonce(String nonce) {
        return new OAuthException(error, description(), scope, dpopChallenge, nonce);
    }

    public boolean dpopChallenge() { return dpopChallenge; }

    public java.util.Optional<String> dpopNonce() { return java.util.Optional.ofNullable(dpopNonce); }

    public OAuthError error() { return error; }

    /** The scope the request needs, where the answer names it. */
    public java.util.Optional<String> scope() { return java.util.Optional.ofNullable(scope); }

    /** insufficient_scope naming the scope needed, for the challenge's {@code scope} attribute (RFC 6750 §3). */
    public static OAuthException insufficientScope(String scope, String description) {
        return new OAuthException(OAuthError.INSUFFICIENT_SCOPE, description, scope, false, null);
    }

    public String description() { return getMessage(); }

    public static OAuthException invalidRequest(String description) { return new OAuthException(OAuthError.INVALID_REQUEST, description); }
    public static OAuthException invalidClient(String description) { return new OAuthException(OAuthError.INVALID_CLIENT, description); }
    public static OAuthException invalidGrant(String description) { return new OAuthException(OAuthError.INVALID_GRANT, description); }
    public static OAuthException invalidScope(String description) { return new OAuthException(OAuthError.INVALID_SCOPE, description); }
    public static OAuthException unauthorizedClient(String description) { return new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, description); }
    public static OAuthException invalidToken(String description) { return new OAuthException(OAuthError.INVALID_TOKEN, description); }
}
