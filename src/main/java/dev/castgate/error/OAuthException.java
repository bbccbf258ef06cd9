package dev.castgate.error;

/**
 * An expected protocol failure. The description is shown to the client, so it never holds a
 * secret, a token or an internal detail.
 */
public final class OAuthException extends RuntimeException {
    private final OAuthError error;
    /** The scope an insufficient_scope answer names in its challenge (RFC 6750 §3), or null. */
    private final String scope;

    public OAuthException(OAuthError error, String description) {
        this(error, description, null);
    }

    private OAuthException(OAuthError error, String description, String scope) {
        super(description, null, false, false); // no stack trace: these are answers, not faults
        this.error = error;
        this.scope = scope;
    }

    public OAuthError error() { return error; }

    /** The scope the request needs, where the answer names it. */
    public java.util.Optional<String> scope() { return java.util.Optional.ofNullable(scope); }

    /** insufficient_scope naming the scope needed, for the challenge's {@code scope} attribute (RFC 6750 §3). */
    public static OAuthException insufficientScope(String scope, String description) {
        return new OAuthException(OAuthError.INSUFFICIENT_SCOPE, description, scope);
    }

    public String description() { return getMessage(); }

    public static OAuthException invalidRequest(String description) { return new OAuthException(OAuthError.INVALID_REQUEST, description); }
    public static OAuthException invalidClient(String description) { return new OAuthException(OAuthError.INVALID_CLIENT, description); }
    public static OAuthException invalidGrant(String description) { return new OAuthException(OAuthError.INVALID_GRANT, description); }
    public static OAuthException invalidScope(String description) { return new OAuthException(OAuthError.INVALID_SCOPE, description); }
    public static OAuthException unauthorizedClient(String description) { return new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, description); }
    public static OAuthException invalidToken(String description) { return new OAuthException(OAuthError.INVALID_TOKEN, description); }
}
