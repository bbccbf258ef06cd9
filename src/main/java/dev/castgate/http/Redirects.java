package dev.castgate.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;

/** Sends the browser to a verified redirect URI with parameters in its query (RFC 6749 §4.1.2). */
public final class Redirects {
    private Redirects() {}

    public static void to(Context ctx, String verifiedUri, Map<String, String> params) {
        ResponseHeaders.noStore(ctx);
        // After a form post, 303 makes the browser follow with GET (RFC 9110 §15.4.4).
        ctx.redirect(QueryStrings.appendTo(verifiedUri, params), "POST".equals(ctx.method().name()) ? HttpStatus.SEE_OTHER : HttpStatus.FOUND);
    }
}
