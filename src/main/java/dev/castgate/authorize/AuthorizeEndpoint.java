package dev.castgate.authorize;

import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.AuthorizationCode;
import dev.castgate.domain.Grant;
import dev.castgate.domain.Scope;
import dev.castgate.domain.Session;
import dev.castgate.domain.User;
import dev.castgate.error.AuthorizationErrorResponse;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.error.PageException;
import dev.castgate.http.Form;
import dev.castgate.http.Redirects;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.ScopeDescriptions;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.login.LoginAttempts;
import dev.castgate.session.CsrfTokens;
import dev.castgate.session.SessionService;
import dev.castgate.store.GuardedWrite;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import dev.castgate.token.Issuance;
import dev.castgate.token.TokenIssuer;
import dev.castgate.token.TokenResponse;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET and POST /authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2). The sign-in and consent forms
 * post the whole request back here with an {@code interaction} field, so every step re-checks
 * the request and no half-finished authorization is kept on the server.
 */
public final class AuthorizeEndpoint {
    private final AuthorizationRequestParser parser;
    private final SessionService sessions;
    private final CsrfTokens csrf;
    private final LoginAttempts logins;
    private final Pages pages;
    private final ScopeDescriptions scopeDescriptions;
    private final Stores stores;
    private final Transactions transactions;
    private final RandomTokens random;
    private final AuditTrail audit;
    private final Clock clock;
    private final String issuer;
    private final Duration codeTtl;
    private final boolean signupEnabled;
    private final TokenIssuer tokenIssuer;

    public AuthorizeEndpoint(AuthorizationRequestParser parser, SessionService sessions, CsrfTokens csrf, LoginAttempts logins,
                             Pages pages, ScopeDescriptions scopeDescriptions, Stores stores, Transactions transactions,
                             RandomTokens random, AuditTrail audit, Clock clock, String issuer, Duration codeTtl,
                             boolean signupEnabled, TokenIssuer tokenIssuer) {
        this.tokenIssuer = tokenIssuer;
        this.parser = parser;
        this.sessions = sessions;
        this.csrf = csrf;
        this.logins = logins;
        this.pages = pages;
        this.scopeDescriptions = scopeDescriptions;
        this.stores = stores;
        this.transactions = transactions;
        this.random = random;
        this.audit = audit;
        this.clock = clock;
        this.issuer = issuer;
        this.codeTtl = codeTtl;
        this.signupEnabled = signupEnabled;
    }

    public void handle(Context ctx) {
        Form form = "POST".equals(ctx.method().name()) ? Form.parse(ctx) : Form.query(ctx);
        AuthorizationRequest request = parser.parse(form);
        String interaction = form.lenient("interaction").orElse("");
        Instant now = clock.instant();

        Optional<User> user = Optional.empty();
        Instant authTime = now;
        if (interaction.equals("login")) {
            csrf.verify(ctx, form);
            Optional<User> signedIn = signIn(ctx, form, request);
            if (signedIn.isEmpty()) return; // the sign-in page was shown again with the reason
            user = signedIn;
            request = request.signedIn();
        } else {
            Optional<Session> session = sessions.current(ctx);
            if (session.isPresent() && !needsSignIn(request, session.get(), now)) {
                user = stores.users().find(session.get().userId());
                authTime = session.get().authTime();
            }
            if (user.isEmpty()) {
                if (request.prompts(Prompt.NONE)) throw redirectError(request, OAuthError.LOGIN_REQUIRED, "the user is not signed in");
                showLogin(ctx, 200, request, null);
                return;
            }
        }

        boolean allowed = false; // the person allowed the request on the consent page just now
        if (interaction.equals("consent")) {
            csrf.verify(ctx, form);
            String decision = form.lenient("decision").orElse("");
            if (!decision.equals("allow")) {
                stores.audit().record(audit.failure(AuditEvent.Type.CONSENT).user(user.get().id())
                        .client(request.client().id()).address(ctx.ip()).detail("denied: " + request.scope()));
                throw redirectError(request, OAuthError.ACCESS_DENIED, "the user denied the request");
            }
            allowed = true;
        } else if (needsConsent(request, user.get())) {
            if (request.prompts(Prompt.NONE)) throw redirectError(request, OAuthError.CONSENT_REQUIRED, "the user has not allowed this client");
            showConsent(ctx, request, user.get());
            return;
        }
        if (request.responseType() == AuthorizationRequest.ResponseType.TOKEN) {
            // The token is written by the issuance step's own writer, so the consent commits first.
            if (allowed) {
                AuthorizationRequest allowedRequest = request;
                User person = user.get();
                transactions.inTransaction(tx -> rememberConsent(tx, ctx, allowedRequest, person, now));
            }
            issueToken(ctx, request, user.get(), authTime, now);
        } else {
            issueCode(ctx, request, user.get(), authTime, now, allowed);
        }
    }

    /** OIDC Core §3.1.2.1: prompt=login and an exceeded max_age both ask the person to sign in again. */
    private static boolean needsSignIn(AuthorizationRequest request, Session session, Instant now) {
        if (request.prompts(Prompt.LOGIN) || request.prompts(Prompt.SELECT_ACCOUNT)) return true;
        // max_age=0 is prompt=login, even in the millisecond of the last sign-in.
        return request.maxAge().map(maxAge -> maxAge == 0 || session.authTime().plusSeconds(maxAge).isBefore(now)).orElse(false);
    }

    private boolean needsConsent(AuthorizationRequest request, User user) {
        if (request.prompts(Prompt.CONSENT)) return true;
        return stores.consents().find(user.id(), request.client().id())
                .map(remembered -> !remembered.containsAll(request.scope()))
                .orElse(true);
    }

    /**
     * Records the consent and adds the allowed scopes to what the user allowed the client before,
     * so neither asks again; in the transaction that issues what was allowed.
     */
    private Void rememberConsent(Stores tx, Context ctx, AuthorizationRequest request, User user, Instant now) {
        tx.audit().record(audit.success(AuditEvent.Type.CONSENT).user(user.id())
                .client(request.client().id()).address(ctx.ip()).detail(request.scope().wireValue()));
        Scope allowed = tx.consents().find(user.id(), request.client().id())
                .map(before -> before.union(request.scope()))
                .orElse(request.scope());
        if (tx.consents().remember(user.id(), request.client().id(), allowed, now) == GuardedWrite.CLIENT_GONE) throw clientGone();
        return null;
    }

    private Optional<User> signIn(Context ctx, Form form, AuthorizationRequest request) {
        String login = form.lenient("username").orElse("");
        String password = form.lenient("password").orElse("");
        if (login.isEmpty() || password.isEmpty() || login.length() > 320 || password.length() > 1024) {
            showLogin(ctx, 400, request, "login.error.missing");
            return Optional.empty();
        }
        return switch (logins.attempt(login, password, ctx.ip())) {
            case LoginAttempts.Result.Success success -> {
                sessions.signIn(ctx, success.user());
                yield Optional.of(success.user());
            }
            case LoginAttempts.Result.WrongCredentials wrong -> {
                showLogin(ctx, 401, request, "login.error.wrong");
                yield Optional.empty();
            }
            case LoginAttempts.Result.Throttled throttled -> {
                showLogin(ctx, 429, request, "login.error.throttled", throttled.retryAfterMinutes());
                yield Optional.empty();
            }
        };
    }

    private void issueCode(Context ctx, AuthorizationRequest request, User user, Instant authTime, Instant now, boolean allowed) {
        String code = random.hex40();
        Grant grant = new Grant(random.sortableHex40(now), Optional.of(user.id()), request.client().id(), request.scope(),
                request.deviceName(), authTime, now, Optional.empty());
        transactions.inTransaction(tx -> {
            if (allowed) rememberConsent(tx, ctx, request, user, now);
            if (tx.grants().insert(grant) == GuardedWrite.CLIENT_GONE) throw clientGone();
            tx.codes().insert(new AuthorizationCode(Hashes.sha256Hex(code), grant.id(), request.client().id(), user.id(),
                    request.redirectUri(), request.redirectUriGiven(), request.scope(), request.nonce(),
                    request.codeChallenge(), authTime, now.plus(codeTtl)), now);
            return null;
        });
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        request.state().ifPresent(state -> params.put("state", state));
        params.put("iss", issuer); // RFC 9207
        Redirects.to(ctx, request.redirectUri(), params);
    }

    /**
     * The original service's implicit flow (RFC 6749 §4.2.2), for clients registered for it: an
     * access token minted like any other, no refresh token (§4.2.2), and the parameters in the
     * redirect's query rather than the fragment, where its clients read them (on the server side).
     */
    private void issueToken(Context ctx, AuthorizationRequest request, User user, Instant authTime, Instant now) {
        Grant grant = new Grant(random.sortableHex40(now), Optional.of(user.id()), request.client().id(), request.scope(),
                request.deviceName(), authTime, now, Optional.empty());
        TokenResponse tokens;
        try {
            tokens = tokenIssuer.issue(Issuance.newGrant(request.client(), grant, request.client().accessTokenFormat(),
                    Optional.of(new Issuance.SignIn(user, authTime, Optional.empty())), new Issuance.RefreshPlan.None())
                    .inImplicitRedirect());
        } catch (OAuthException e) {
            if (e.error() == OAuthError.INVALID_CLIENT) throw clientGone(); // removed while this node still had it cached
            throw e;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("access_token", tokens.accessToken());
        params.put("token_type", TokenResponse.TOKEN_TYPE);
        params.put("expires_in", Long.toString(tokens.expiresIn()));
        if (!tokens.scope().isEmpty()) params.put("scope", tokens.scope().wireValue());
        request.state().ifPresent(state -> params.put("state", state));
        params.put("iss", issuer); // RFC 9207
        Redirects.to(ctx, request.redirectUri(), params);
    }

    /** The sign-in page; {@code errorKey} (with its arguments) is the reason it is shown again, or null. */
    private void showLogin(Context ctx, int status, AuthorizationRequest request, String errorKey, Object... args) {
        Text t = texts(ctx, request);
        String signupUrl = null;
        if (signupEnabled) {
            Map<String, String> params = new LinkedHashMap<>(request.toParameters());
            params.put("lang", t.tag());
            signupUrl = Links.withQuery("/signup", params);
        }
        pages.login(ctx, status, t, new Views.Login(ctx.path(), request.toParameters(), csrf.token(ctx),
                request.client().name(), request.loginHint().orElse(""), errorKey == null ? null : t.format(errorKey, args),
                signupUrl), formTargets(request));
    }

    private void showConsent(Context ctx, AuthorizationRequest request, User user) {
        Text t = texts(ctx, request);
        pages.consent(ctx, t, new Views.Consent(ctx.path(), request.toParameters(), csrf.token(ctx), request.client().name(),
                user.name().orElse(user.username()), request.deviceName().orElse(null),
                scopeDescriptions.describe(request.scope(), t)), formTargets(request));
    }

    /** The request's language, with a switcher that reopens this authorization request in another language. */
    private Text texts(Context ctx, AuthorizationRequest request) {
        String path = ctx.path().equals("/oauth2/authorize") ? "/oauth2/authorize" : "/authorize";
        return pages.text(ctx).withLanguageLinks(path, request.toParameters());
    }

    /** The redirect URI's origin: the sign-in and consent forms end with a redirect there. */
    private static List<String> formTargets(AuthorizationRequest request) {
        URI uri = URI.create(request.redirectUri());
        if (uri.getHost() == null) return List.of(uri.getScheme() + ":");
        return List.of(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    /** The client was removed while this node still had it cached: answered as for an unknown client. */
    private static PageException clientGone() {
        return new PageException(400, "error.invalid_link.title", "error.client_unknown");
    }

    private static AuthorizationErrorResponse redirectError(AuthorizationRequest request, OAuthError error, String description) {
        return new AuthorizationErrorResponse(new OAuthException(error, description), request.redirectUri(), request.state());
    }
}
