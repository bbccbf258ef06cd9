package dev.castgate.http;

import io.javalin.http.Context;
import java.util.Collection;

/** The one home of cache and security headers. */
public final class ResponseHeaders {
    private ResponseHeaders() {}

    /** Applied to every response. */
    public static void common(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /**
     * Under an https issuer, on every response: browsers then use https only for this host for a
     * year (RFC 6797), so a later plain-http link cannot expose the cookies or pages. Sent only
     * then, since it is meaningless over http; without includeSubDomains, which would bind hosts
     * this server does not answer for.
     */
    public static void strictTransportSecurity(Context ctx) {
        ctx.header("Strict-Transport-Security", "max-age=31536000");
    }

    /** Token-bearing and personal responses: RFC 6749 §5.1, RFC 6750 §5.3. */
    public static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }

    /**
     * HTML pages: never cached, never framed, no scripts. {@code formTargets} are the origins a
     * form on the page may end up at: the server itself and, after a sign-in or consent, the
     * client's redirect URI (browsers apply form-action to the redirect that follows a POST).
     * A page that offers a passkey ({@code script}) may load the server's own script files, and
     * nothing inline: WebAuthn is a script API, and only those pages need it.
     */
    public static void page(Context ctx, Collection<String> formTargets, boolean script) {
        noStore(ctx);
        String formAction = "'self'" + (formTargets.isEmpty() ? "" : " " + String.join(" ", formTargets));
        ctx.header("Content-Security-Policy", "default-src 'none'; " + (script ? "script-src 'self'; " : "") + "style-src 'self'; img-src 'self'; "
                + "form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Frame-Options", "DENY");
    }

    /**
     * The auto-submitting form of the form_post response mode: the page security headers, with
     * its one inline script allowed by {@code scriptHash} alone and its form allowed to go only
     * to {@code formTarget}, the client's origin (not even to this server).
     */
    public static void autoSubmitPage(Context ctx, String formTarget, String scriptHash) {
        noStore(ctx);
        ctx.header("Content-Security-Policy", "default-src 'none'; script-src " + scriptHash + "; style-src 'self'; img-src 'self'; "
                + "form-action " + formTarget + "; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Frame-Options", "DENY");
    }
}
