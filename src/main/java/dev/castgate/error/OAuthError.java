package dev.castgate.error;

/** Registered OAuth and OpenID Connect error codes with the HTTP status each carries in JSON. */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    ACCESS_DENIED("access_denied", 400),
    LOGIN_REQUIRED("login_required", 400),
    CONSENT_REQUIRED("consent_required", 400),
    INTERACTION_REQUIRED("interaction_required", 400),
    REQUEST_NOT_SUPPORTED("request_not_supported", 400),
    REQUEST_URI_NOT_SUPPORTED("request_uri_not_supported", 400),
    // RFC 9101 §6.3 and OIDC Core §3.1.2.6: a request object that is not valid, or one that could not be fetched.
    INVALID_REQUEST_OBJECT("invalid_request_object", 400),
    INVALID_REQUEST_URI("invalid_request_uri", 400),
    // OpenID Connect Core Error Code unmet_authentication_requirements 1.0: an essential acr not met.
    UNMET_AUTHENTICATION_REQUIREMENTS("unmet_authentication_requirements", 400),
    // RFC 8707 §2: a resource that is invalid, unknown or not the grant's.
    INVALID_TARGET("invalid_target", 400),
    INVALID_TOKEN("invalid_token", 401),
    // RFC 9449 §5 and §8: a DPoP proof that is missing or invalid, or lacks the server's nonce; at a
    // protected resource both are 401 with a DPoP challenge (§7.1, §9).
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400),
    USE_DPOP_NONCE("use_dpop_nonce", 400),
    // RFC 7591 §3.2.2: dynamic client registration's own errors.
    INVALID_REDIRECT_URI("invalid_redirect_uri", 400),
    INVALID_CLIENT_METADATA("invalid_client_metadata", 400),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    SERVER_ERROR("server_error", 500),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
    // RFC 8628 §3.5: the device access token response's own errors.
    AUTHORIZATION_PENDING("authorization_pending", 400),
    SLOW_DOWN("slow_down", 400),
    EXPIRED_TOKEN("expired_token", 400),
    // The Streaming API's own errors, as the original answered them.
    LACK_OF_OWNERSHIP("lack_of_ownership", 403),
    NOT_FOUND("not_found", 404),
    TOO_MANY_REQUESTS("too_many_requests", 429);

    private final String code;
    private final int httpStatus;

    OAuthError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() { return code; }

    /** The standard status (RFC 6749 §5.2, RFC 6750 §3.1). */
    public int httpStatus() { return httpStatus; }

    /**
     * The status in the given mode. The original service answered invalid_client with 400, an
     * unknown grant type with 501 Not Implemented and a server error with 503; everything else alike.
     */
    public int httpStatus(ErrorMode mode) {
        if (mode == ErrorMode.IBM) {
            switch (this) {
                case INVALID_CLIENT: return 400;
                case UNSUPPORTED_GRANT_TYPE: return 501;
                case SERVER_ERROR: return 503;
                default: break;
            }
        }
        return httpStatus;
    }
}
