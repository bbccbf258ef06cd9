package dev.castgate.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Sends the browser to a verified redirect URI with parameters in its query (RFC 6749 §4.1.2). */
public final class Redirects {
    private Redirects() {}

    public static void to(Context ctx, String verifiedUri, Map<String, String> params) {
        StringBuilder target = new StringBuilder(verifiedUri);
        char separator = verifiedUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            target.append(separator).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            separator = '&';
        }
        ResponseHeaders.noStore(ctx);
        // After a form post, 303 makes the browser follow with GET (RFC 9110 §15.4.4).
        ctx.redirect(target.toString(), "POST".equals(ctx.method().name()) ? HttpStatus.SEE_OTHER : HttpStatus.FOUND);
    }

    public static String encode(String value) { return URLEncoder.encode(value, StandardCharsets.UTF_8); }
}
