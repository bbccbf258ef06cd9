package dev.castgate.http;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * Cookie names and attributes in one place: always HttpOnly and SameSite, Secure with the
 * {@code __Host-} prefix when the issuer is https (the prefix pins the cookie to this host).
 */
public final class Cookies {
    private final boolean secure;

    public Cookies(boolean secure) { this.secure = secure; }

    public String name(String base) { return secure ? "__Host-" + base : base; }

    public String read(Context ctx, String base) { return ctx.cookie(name(base)); }

    public void set(Context ctx, String base, String value, Duration maxAge, String sameSite) {
        ctx.res().addHeader("Set-Cookie", name(base) + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds()
                + "; HttpOnly; SameSite=" + sameSite + (secure ? "; Secure" : ""));
    }

    public void clear(Context ctx, String base) {
        ctx.res().addHeader("Set-Cookie", name(base) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }
}
