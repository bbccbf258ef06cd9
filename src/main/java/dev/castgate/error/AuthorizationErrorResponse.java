package dev.castgate.error;

import dev.castgate.domain.Client;
import dev.castgate.domain.ResponseMode;
import java.util.Optional;

/**
 * An authorization-endpoint error to send back to the client's redirect URI (RFC 6749 §4.1.2.1),
 * the way the request asked for its answer ({@code responseMode}). Only made after the client
 * and its redirect URI are verified, so it never redirects elsewhere.
 */
public final class AuthorizationErrorResponse extends RuntimeException {
    private final OAuthException cause;
    private final String verifiedRedirectUri;
    private final Optional<String> state;
    private final ResponseMode responseMode;
    private final Client client;

    public AuthorizationErrorResponse(OAuthException cause, Client client, String verifiedRedirectUri, Optional<String> state,
                                      ResponseMode responseMode) {
        super(cause.description(), null, false, false);
        this.cause = cause;
        this.client = client;
        this.verifiedRedirectUri = verifiedRedirectUri;
        this.state = state;
        this.responseMode = responseMode;
    }

    public OAuthError error() { return cause.error(); }

    public String description() { return cause.description(); }

    /** The client the error goes back to: a signed answer (JARM) names it as its audience. */
    public Client client() { return client; }

    public String verifiedRedirectUri() { return verifiedRedirectUri; }

    public Optional<String> state() { return state; }

    public ResponseMode responseMode() { return responseMode; }
}
