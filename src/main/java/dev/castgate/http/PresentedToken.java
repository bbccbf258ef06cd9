package dev.castgate.http;

import dev.castgate.error.OAuthException;

/**
 * An access token as a request presented it to a protected resource: with the Bearer scheme
 * (RFC 6750), or with the DPoP scheme, which says a proof of its key comes with it (RFC 9449 §7.1).
 */
public record PresentedToken(String value, boolean dpop) {
    /** The refusal as this request's scheme answers it: a DPoP request gets a DPoP challenge. */
    public OAuthException refusal(OAuthException e) { return dpop ? e.inDpopChallenge() : e; }
}
