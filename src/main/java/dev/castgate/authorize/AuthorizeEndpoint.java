package dev.castgate.authorize;

import dev.castgate.domain.Authentication;
import dev.castgate.domain.Session;
import dev.castgate.domain.User;
import dev.castgate.error.OAuthError;
import dev.castgate.http.Form;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.ScopeDescriptions;
import dev.castgate.interaction.SignInForm;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.protocol.Consents;
import dev.castgate.session.CsrfTokens;
import dev.castgate.store.Stores;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * GET and POST /authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2). The sign-in and consent forms
 * post the whole request back here with an {@code interaction} field, so every step re-checks
 * the request and no half-finished authorization is kept on the server. A pushed request (RFC 9126)
 * is taken by its {@code request_uri} once and then carried on the same way, sealed ({@link PushedRequests}). This class walks the
 * steps (sign-in with its second factor, what {@code acr_values} or {@code claims} ask of it
 * ({@link AcrRequest}), consent); {@link AuthorizationGrants} issues what was allowed and
 * {@link AuthorizationResponder} sends it, or an error, back to the client.
 */
public record AuthorizeEndpoint(PushedRequests requests, SignInForm signInForm, CsrfTokens csrf,
                                Pages pages, ScopeDescriptions scopeDescriptions, Stores stores, Consents consents,
                                AuthorizationGrants grants, Clock clock) {
    public void handle(Context ctx) {
        boolean post = ctx.method() == HandlerType.POST;
        Form form = post ? Form.parse(ctx) : Form.query(ctx);
        AuthorizationRequest request = requests.resolve(form);
        if (request.acr().unsatisfiable()) {
            throw request.refused(OAuthError.UNMET_AUTHENTICATION_REQUIREMENTS, "none of the essential acr values is offered here");
        }
        // Credentials and the consent decision come only in a form's body: in a URL, proxies, history
        // and logs keep them, and a GET must not change anything. A GET carrying them is a plain
        // authorization request, which shows the form again.
        String interaction = post ? form.lenient("interaction").orElse("") : "";
        Instant now = clock.instant();
        Optional<String> subject = ClaimsParameter.requiredSubject(request.claims());

        SignInForm.SignedIn signedIn;
        if (interaction.equals("login")) {
            Optional<SignInForm.SignedIn> submitted = signInForm.submit(ctx, form, texts(ctx, request), signInTarget(ctx, request));
            if (submitted.isEmpty()) return; // the next step, or the same one with the reason, was shown
            signedIn = submitted.get();
            request = request.signedIn();
            if (subject.filter(sub -> !sub.equals(submitted.get().user().id().value())).isPresent()) {
                // OIDC Core §5.5.1: never an answer for another account than the one the request names.
                throw request.refused(OAuthError.ACCESS_DENIED, "the account signed in is not the one the request names");
            }
        } else {
            AuthorizationRequest asked = request;
            // A session of another account than the one claims names (its sub) asks for a sign-in, as select_account does.
            Optional<SignInForm.SignedIn> current = signInForm.current(ctx).filter(c -> !needsSignIn(asked, c.session(), now))
                    .filter(c -> subject.map(sub -> sub.equals(c.user().id().value())).orElse(true));
            if (current.isEmpty()) {
                if (request.prompts(Prompt.NONE)) throw request.refused(OAuthError.LOGIN_REQUIRED, "the user is not signed in");
                signInForm.show(ctx, 200, texts(ctx, request), signInTarget(ctx, request), null);
                return;
            }
            signedIn = current.get();
        }
        User user = signedIn.user();
        Authentication amr = signedIn.session().amr();
        if (request.acr().prefersSecondFactor() && !amr.secondFactor() && signInForm.hasSecondFactor(user.id())) {
            // A session signed in before the second factor was set up: the code or a passkey alone steps it up.
            if (request.prompts(Prompt.NONE)) {
                throw request.refused(OAuthError.LOGIN_REQUIRED, "the request asks for a second factor, which this sign-in did not give");
            }
            signInForm.showStepUp(ctx, texts(ctx, request), signInTarget(ctx, request), signedIn);
            return;
        }
        if (!request.acr().metBy(amr.level())) {
            // OIDC Core §5.5.1.1: an essential acr that cannot be met is a failed authentication.
            boolean told = interaction.equals("second_factor_required");
            if (told) csrf.verify(ctx, form);
            if (told || request.prompts(Prompt.NONE)) {
                throw request.refused(OAuthError.UNMET_AUTHENTICATION_REQUIREMENTS,
                        "the request requires a second factor, which the account has not set up");
            }
            Text t = texts(ctx, request);
            pages.show(ctx, 403, t, new Views.SecondFactorRequired(ctx.path(), requests.carried(request), csrf.token(ctx),
                    request.client().name()), formTargets(request));
            return;
        }

        boolean allowedNow = false;
        if (interaction.equals("consent")) {
            csrf.verify(ctx, form);
            if (!form.lenient("decision").orElse("").equals("allow")) {
                consents.deny(stores, Consents.Page.AUTHORIZATION, user.id(), request.client().id(), request.consentScope(), ctx.ip());
                throw request.refused(OAuthError.ACCESS_DENIED, "the user denied the request");
            }
            allowedNow = true;
        } else if (needsConsent(request, user)) {
            if (request.prompts(Prompt.NONE)) throw request.refused(OAuthError.CONSENT_REQUIRED, "the user has not allowed this client");
            showConsent(ctx, request, user);
            return;
        }
        grants.complete(ctx, request, user, signedIn.session(), now, allowedNow);
    }

    /** OIDC Core §3.1.2.1: prompt=login and an exceeded max_age both ask the person to sign in again. */
    private static boolean needsSignIn(AuthorizationRequest request, Session session, Instant now) {
        if (request.prompts(Prompt.LOGIN) || request.prompts(Prompt.SELECT_ACCOUNT)) return true;
        // max_age=0 is prompt=login, even in the millisecond of the last sign-in.
        return request.maxAge().map(maxAge -> maxAge == 0 || session.authTime().plusSeconds(maxAge).isBefore(now)).orElse(false);
    }

    private boolean needsConsent(AuthorizationRequest request, User user) {
        return request.prompts(Prompt.CONSENT) || !Consents.covers(stores.consents(), user.id(), request.client().id(), request.consentScope());
    }

    /** The sign-in form of this request: posted back here with the whole request, its sign-up link carrying it too. */
    private SignInForm.Target signInTarget(Context ctx, AuthorizationRequest request) {
        return new SignInForm.Target(ctx.path(), requests.carried(request), Optional.of(request.client().name()),
                request.loginHint().orElse(""), requests.carried(request), formTargets(request));
    }

    private void showConsent(Context ctx, AuthorizationRequest request, User user) {
        Text t = texts(ctx, request);
        pages.show(ctx, 200, t, new Views.Consent(ctx.path(), requests.carried(request), csrf.token(ctx), request.client().name(),
                user.name().orElse(user.username()), request.deviceName().orElse(null),
                scopeDescriptions.describe(request.consentScope(), request.client().legacy().apiWrites(), t)), formTargets(request));
    }

    /** The request's language, with a switcher that reopens this authorization request in another language. */
    private Text texts(Context ctx, AuthorizationRequest request) {
        String path = ctx.path().equals("/oauth2/authorize") ? "/oauth2/authorize" : "/authorize";
        return pages.text(ctx).withLanguageLinks(path, requests.carried(request));
    }

    /** The redirect URI's origin: the sign-in and consent forms end with a redirect there. */
    private static List<String> formTargets(AuthorizationRequest request) {
        return List.of(AuthorizationResponder.origin(request.redirectUri()));
    }
}
