package dev.castgate.http;

import dev.castgate.error.OAuthException;
import io.javalin.http.Context;
import java.util.Optional;

/** Reads an access token sent as RFC 6750 allows: the Authorization header, or (POST) the form body. */
public final class BearerToken {
    private BearerToken() {}

    /** The token, or empty when none was sent (RFC 6750 §3.1: then no error code is named). */
    public static Optional<String> find(Context ctx) {
        String header = ctx.header("Authorization");
        Optional<String> fromBody = Optional.empty();
        String type = ctx.contentType();
        if ("POST".equals(ctx.method().name()) && type != null && type.startsWith("application/x-www-form-urlencoded")) {
            fromBody = Optional.ofNullable(ctx.formParam("access_token")).filter(s -> !s.isEmpty());
        }
        if (header != null) {
            if (fromBody.isPresent()) throw OAuthException.invalidRequest("the access token was sent in more than one way");
            // The scheme is case-insensitive (RFC 9110 §11.1).
            if (header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(header.substring(7).trim());
            }
            throw OAuthException.invalidToken("the Authorization header is not a Bearer token");
        }
        return fromBody;
    }
}
