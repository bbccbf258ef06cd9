package dev.castgate.session;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.error.PageException;
import dev.castgate.http.Cookies;
import dev.castgate.http.Form;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * CSRF protection for every form: a random token in a SameSite=Strict, HttpOnly cookie that the
 * form must echo in a hidden field (double submit). Another site can neither read the cookie
 * nor make the browser send it along with a cross-site post.
 */
public record CsrfTokens(Cookies cookies, RandomTokens random) {
    static final String COOKIE = "castgate_csrf";
    public static final String FIELD = "csrf_token";

    /** The browser's token, issuing one if it has none. */
    public String token(Context ctx) {
        String existing = cookies.read(ctx, COOKIE);
        if (existing != null && existing.length() == 43) return existing;
        String created = random.urlSafe256();
        cookies.set(ctx, COOKIE, created, Duration.ofDays(1), "Strict");
        return created;
    }

    public void verify(Context ctx, Form form) {
        String cookie = cookies.read(ctx, COOKIE);
        String field = form.lenient(FIELD).orElse("");
        if (cookie == null || cookie.isEmpty()
                || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.US_ASCII))) {
            throw new PageException(403, "error.form_expired.title", "error.form_expired.message");
        }
    }
}
