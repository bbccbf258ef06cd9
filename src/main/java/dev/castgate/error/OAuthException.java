package dev.castgate.error;

/**
 * An expected protocol failure. The description is shown to the client, so it never holds a
 * secret, a token or an internal detail.
 */
public final class OAuthException extends RuntimeException {
    private final OAuthError error;

    public OAuthException(OAuthError error, String description) {
        super(description, null, false, false); // no stack trace: these are answers, not faults
        this.error = error;
    }

    public OAuthError error() { return error; }

    public String description() { return getMessage(); }

    public static OAuthException invalidRequest(String description) { return new OAuthException(OAuthError.INVALID_REQUEST, description); }
    public static OAuthException invalidClient(String description) { return new OAuthException(OAuthError.INVALID_CLIENT, description); }
    public static OAuthException invalidGrant(String description) { return new OAuthException(OAuthError.INVALID_GRANT, description); }
    public static OAuthException invalidScope(String description) { return new OAuthException(OAuthError.INVALID_SCOPE, description); }
    public static OAuthException unauthorizedClient(String description) { return new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, description); }
    public static OAuthException invalidToken(String description) { return new OAuthException(OAuthError.INVALID_TOKEN, description); }
}
