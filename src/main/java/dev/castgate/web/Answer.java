package dev.castgate.web;

import dev.castgate.http.ResponseHeaders;
import io.javalin.http.Context;

/**
 * What a route answers, declared beside it in {@link Routes}: it decides whether a failure there
 * is shown as a page or as JSON, and whether the router marks the answer {@code no-store} before
 * the handler runs.
 */
public enum Answer {
    /** HTML for a person's browser; failures are error pages. Pages set their own headers (never stored). */
    PAGE,
    /** JSON a program may keep: discovery, keys, health. */
    JSON,
    /** JSON with tokens or personal data: never stored (RFC 6749 §5.1, RFC 6750 §5.3). */
    PRIVATE_JSON;

    private static final String ATTRIBUTE = Answer.class.getName();

    /** Before the handler: remembers the answer for the error renderer, and forbids storing a private one. */
    void begin(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
        if (this == PRIVATE_JSON) ResponseHeaders.noStore(ctx);
    }

    /**
     * Whether a failure on this request is shown as a page: as its route declares, or, where no
     * route of the table matched (a mistyped path, the Streaming API's own table), by where the
     * path lies: the home page and the account and device pages' paths belong to people.
     */
    static boolean forBrowser(Context ctx) {
        Answer declared = ctx.attribute(ATTRIBUTE);
        if (declared != null) return declared == PAGE;
        String path = ctx.path();
        return path.equals("/") || path.startsWith("/account/") || path.startsWith("/device/");
    }
}
