package dev.castgate.http;

import dev.castgate.error.OAuthException;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The one reader of access tokens sent as RFC 6750 allows: the Authorization header (§2.1) or,
 * where the endpoint takes it, a POSTed form body (§2.2); and, at the protected resources, with
 * the DPoP scheme (RFC 9449 §7.1). Every endpoint that accepts a token reads it here, so all of
 * them agree on what a Bearer header is.
 */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";
    private static final String DPOP_SCHEME = "DPoP ";

    private BearerToken() {}

    /**
     * From the header, with either scheme, or a POSTed form as a bearer token (userinfo); empty
     * when none was sent (RFC 6750 §3.1: then no error code is named).
     */
    public static Optional<PresentedToken> find(Context ctx) {
        Optional<String> fromBody = Optional.empty();
        if ("POST".equals(ctx.method().name()) && Form.contentType(ctx).startsWith("application/x-www-form-urlencoded")) {
            fromBody = Form.parse(ctx).optional("access_token");
        }
        if (ctx.header("Authorization") != null && fromBody.isPresent()) {
            throw OAuthException.invalidRequest("the access token was sent in more than one way");
        }
        return fromBody.isPresent() ? fromBody.map(value -> new PresentedToken(value, false)) : presentedInHeader(ctx);
    }

    /**
     * From the Authorization header of a request to a protected resource, as a Bearer or a DPoP
     * token; empty when there is none, invalid_token when it is neither.
     */
    public static Optional<PresentedToken> presentedInHeader(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) return Optional.empty();
        Optional<String> dpop = value(header, DPOP_SCHEME);
        if (dpop.isPresent()) return Optional.of(new PresentedToken(dpop.get(), true));
        return Optional.of(new PresentedToken(value(header, SCHEME).orElseThrow(() ->
                OAuthException.invalidToken("the Authorization header is not a Bearer or DPoP token")), false));
    }

    /** A bearer token from the Authorization header only (registration access tokens); empty when there is none, invalid_token when it is not Bearer. */
    public static Optional<String> findInHeader(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) return Optional.empty();
        return Optional.of(value(header, SCHEME).orElseThrow(() -> OAuthException.invalidToken("the Authorization header is not a Bearer token")));
    }

    /**
     * The header's token without judging the header, for counting requests per token before the
     * token is checked: a malformed header counts against the client's address only.
     */
    public static Optional<String> peekInHeader(Context ctx) {
        return Optional.ofNullable(ctx.header("Authorization"))
                .flatMap(header -> value(header, SCHEME).or(() -> value(header, DPOP_SCHEME)));
    }

    /**
     * The token of a credential of {@code scheme} (with its space): the scheme is case-insensitive
     * (RFC 9110 §11.1) and a value must follow it. The server drops trailing spaces from header
     * values, so "Bearer " arrives as "Bearer" and is not a Bearer credential.
     */
    private static Optional<String> value(String header, String scheme) {
        if (header.length() <= scheme.length() || !header.regionMatches(true, 0, scheme, 0, scheme.length())) return Optional.empty();
        return Optional.of(header.substring(scheme.length()).trim());
    }
}
