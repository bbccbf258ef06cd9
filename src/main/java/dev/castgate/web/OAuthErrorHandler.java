package dev.castgate.web;

import dev.castgate.authorize.AuthorizationResponder;
import dev.castgate.dpop.DpopProofs;
import dev.castgate.error.AuthorizationErrorResponse;
import dev.castgate.error.ErrorDescription;
import dev.castgate.error.ErrorMode;
import dev.castgate.error.MissingBearerToken;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.error.PageException;
import dev.castgate.http.Json;
import dev.castgate.http.ResponseHeaders;
import dev.castgate.interaction.Pages;
import dev.castgate.store.DatabaseUnavailable;
import dev.castgate.store.OutageLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.EndpointNotFound;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that turns a failure into a response: JSON for client-facing endpoints, a
 * redirect to a verified redirect URI for the authorization endpoint, a page for the browser
 * (which of the last two, its route declares: {@link Answer}).
 * Anything unexpected becomes {@code server_error} with a fixed description; its stack trace goes
 * to the log, never to the response. A database that is away is not unexpected: it is answered
 * {@code 503 temporarily_unavailable} with {@code Retry-After} (an error page on a page), and
 * logged a line per kind and interval by the {@link OutageLog}.
 */
public final class OAuthErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(OAuthErrorHandler.class);
    static final String REALM = "castgate";
    /** Seconds a client is asked to wait: the node notices a database's return within a fraction of a second. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final AuthorizationResponder responder;
    private final Pages pages;
    private final ErrorMode mode;
    private final OutageLog outages;

    public OAuthErrorHandler(AuthorizationResponder responder, Pages pages, ErrorMode mode, OutageLog outages) {
        this.responder = responder;
        this.pages = pages;
        this.mode = mode;
        this.outages = outages;
    }

    public void register(RoutesConfig routes) {
        routes.exception(OAuthException.class, (e, ctx) -> {
            // On a page only a request that could not be read gets here (the form's checks, in
            // http.Form): the protocol's own failures there are pages or redirects already.
            if (Answer.forBrowser(ctx)) {
                pages.error(ctx, e.error().httpStatus(mode), "error.bad_request.title", "error.bad_request.message");
            } else {
                json(ctx, e);
            }
        });
        routes.exception(AuthorizationErrorResponse.class, (e, ctx) -> responder.error(ctx, e));
        routes.exception(PageException.class, (e, ctx) -> pages.error(ctx, e.status(), e.titleKey(), e.messageKey()));
        routes.exception(MissingBearerToken.class, (e, ctx) -> {
            ResponseHeaders.noStore(ctx);
            ctx.header("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"").status(401).result("");
        });
        routes.exception(Exception.class, (e, ctx) -> {
            Optional<DatabaseUnavailable.Kind> away = DatabaseUnavailable.of(e);
            if (away.isPresent()) {
                unavailable(ctx, away.get(), e);
                return;
            }
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            if (Answer.forBrowser(ctx)) {
                pages.error(ctx, 500, "error.server.title", "error.server.message");
            } else {
                json(ctx, new OAuthException(OAuthError.SERVER_ERROR, "the server could not finish the request"));
            }
        });
        // Javalin answers a path no route matches with its own plain-text body; ours replaces it.
        routes.exception(EndpointNotFound.class, (e, ctx) -> notFound(ctx));
        routes.error(404, ctx -> {
            if (ctx.result() != null && !ctx.result().isEmpty()) return; // a handler answered 404 itself
            notFound(ctx);
        });
        // Like every other JSON error: never cached (RFC 9110 §15.5.6 makes a 405 heuristically cacheable).
        routes.error(405, ctx -> {
            ResponseHeaders.noStore(ctx);
            Json.respond(ctx, 405, Map.of("error", "invalid_request", "error_description", "method " + ctx.method() + " is not allowed here"));
        });
        routes.error(413, ctx -> {
            if (Answer.forBrowser(ctx)) {
                pages.error(ctx, 413, "error.too_large.title", "error.too_large.message");
                return;
            }
            ResponseHeaders.noStore(ctx);
            Json.respond(ctx, 413, Map.of("error", "invalid_request", "error_description", "the request body is too large"));
        });
    }

    private void unavailable(Context ctx, DatabaseUnavailable.Kind kind, Exception e) {
        outages.report(kind, ctx.method() + " " + ctx.path(), e);
        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        if (Answer.forBrowser(ctx)) {
            pages.error(ctx, 503, "error.unavailable.title", "error.unavailable.message");
        } else {
            json(ctx, new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, "the server cannot use its database now; try again shortly"));
        }
    }

    private void notFound(Context ctx) {
        if (Answer.forBrowser(ctx)) {
            pages.error(ctx, 404, "error.not_found.title", "error.not_found.message");
        } else {
            ResponseHeaders.noStore(ctx);
            Json.respond(ctx, 404, Map.of("error", "not_found", "error_description", "no such endpoint"));
        }
    }

    private void json(Context ctx, OAuthException e) {
        ResponseHeaders.noStore(ctx);
        OAuthError error = e.error();
        int status = error.httpStatus(mode);
        e.dpopNonce().ifPresent(nonce -> ctx.header(DpopProofs.NONCE_HEADER, nonce));
        if (e.dpopChallenge()) {
            // RFC 9449 §7.1 and §9: a protected resource refuses a DPoP request with a DPoP challenge, a proof's failure with 401.
            if (error == OAuthError.INVALID_DPOP_PROOF || error == OAuthError.USE_DPOP_NONCE) status = 401;
            if (status == 401 || status == 403) {
                ctx.header("WWW-Authenticate", "DPoP error=\"" + error.code() + "\", error_description=\""
                        + ErrorDescription.safe(e.description()) + "\"" + e.scope().map(scope -> ", scope=\"" + scope + "\"").orElse("")
                        + ", algs=\"" + DpopProofs.ALGS + "\"");
            }
        } else if (error == OAuthError.INVALID_CLIENT && status == 401) {
            // RFC 6749 §5.2; a 401 always names the scheme to use (RFC 9110 §15.5.2). The
            // original's 400 (errors = ibm) names none, as it did.
            ctx.header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        } else if (error == OAuthError.INVALID_TOKEN || error == OAuthError.INSUFFICIENT_SCOPE) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"" + error.code()
                    + "\", error_description=\"" + ErrorDescription.safe(e.description()) + "\""
                    + e.scope().map(scope -> ", scope=\"" + scope + "\"").orElse(""));
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("error_description", ErrorDescription.safe(e.description()));
        Json.respond(ctx, status, body);
    }
}
