package dev.castgate.session;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.error.PageException;
import dev.castgate.http.Cookies;
import dev.castgate.http.Form;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF protection for every form. A random value sits in a SameSite=Strict, HttpOnly cookie, so
 * another site can neither read it nor make the browser send it with a cross-site post; the form
 * echoes not the value but an HMAC, under a key the nodes share, of it and of the browser's
 * session. A cookie planted by a sibling host, with a token the attacker got for it, therefore
 * fails beside the victim's session; and a token from before a sign-in (the cookie is renewed
 * then, see {@link #renew}) or from an ended session no longer matches.
 */
public final class CsrfTokens {
    static final String COOKIE = "castgate_csrf";
    public static final String FIELD = "csrf_token";
    /** This response's cookie value once it was set here, which the request's cookie no longer tells. */
    private static final String ISSUED = "castgate.csrf.issued";
    private static final String HMAC = "HmacSHA256";

    private final Cookies cookies;
    private final RandomTokens random;
    private final SessionService sessions;
    private final SecretKeySpec key;

    /** {@code secret} is the HMAC key, shared by every node through the database. */
    public CsrfTokens(Cookies cookies, RandomTokens random, SessionService sessions, String secret) {
        this.cookies = cookies;
        this.random = random;
        this.sessions = sessions;
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** The token for this browser's forms, issuing the cookie if it has none. */
    public String token(Context ctx) {
        String value = ctx.attribute(ISSUED);
        if (value == null) value = wellFormed(cookies.read(ctx, COOKIE));
        if (value == null) value = issue(ctx);
        return bound(value, sessions.binding(ctx));
    }

    public void verify(Context ctx, Form form) {
        String value = wellFormed(cookies.read(ctx, COOKIE));
        String field = form.lenient(FIELD).orElse("");
        if (value == null || !MessageDigest.isEqual(bound(value, sessions.binding(ctx)).getBytes(StandardCharsets.US_ASCII),
                field.getBytes(StandardCharsets.US_ASCII))) {
            throw new PageException(403, "error.form_expired.title", "error.form_expired.message");
        }
    }

    /** A new cookie value, when the session changes: no value known before a sign-in lasts past it. */
    public void renew(Context ctx) { issue(ctx); }

    private String issue(Context ctx) {
        String created = random.urlSafe256();
        cookies.set(ctx, COOKIE, created, Duration.ofDays(1), "Strict");
        ctx.attribute(ISSUED, created);
        return created;
    }

    private static String wellFormed(String value) {
        return value != null && value.length() == 43 ? value : null;
    }

    private String bound(String cookieValue, String session) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] digest = mac.doFinal((cookieValue + "\n" + session).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
