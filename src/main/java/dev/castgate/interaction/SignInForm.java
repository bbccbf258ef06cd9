package dev.castgate.interaction;

import dev.castgate.domain.Authentication;
import dev.castgate.domain.AuthenticationMethod;
import dev.castgate.domain.Session;
import dev.castgate.domain.User;
import dev.castgate.http.Form;
import dev.castgate.domain.UserId;
import dev.castgate.login.LoginAttempts;
import dev.castgate.login.Passkeys;
import dev.castgate.login.SecondFactors;
import dev.castgate.session.CsrfTokens;
import dev.castgate.session.SessionService;
import dev.castgate.store.UserStore;
import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sign-in form, wherever a person is asked to sign in: {@code /authorize}, {@code /device}
 * and {@code /account} show it, and it starts the session that {@code /signup} also starts. The
 * password is checked and throttled by {@link LoginAttempts}; for an account with a second factor,
 * a right password leads to a code form ({@link SecondFactors}), posted to the same place with the
 * same hidden fields, so the request it belongs to is kept, and the session starts only once the
 * code is right. Whether an account has a second factor shows only after its right password. A
 * refused attempt shows the form again with its reason and the status that names it (400
 * incomplete, 401 wrong, 429 throttled). Passkeys ({@link Passkeys}) serve twice: as the second
 * step, beside the code where the account has both (either one will do), and, on the form
 * itself, instead of the password, where the passkey's authenticator verifies the person; both
 * post the same hidden fields to the same place, and need the page's script, which only offers
 * what the browser can do. Where mail is sent ({@code recoveryEnabled}) it links to
 * "Forgot password?", carrying where the person is, to come back to after the new password.
 */
public record SignInForm(SessionService sessions, UserStore users, CsrfTokens csrf, LoginAttempts logins,
                         SecondFactors secondFactors, Passkeys passkeys, SecondStepTokens secondSteps, Pages pages, boolean signupEnabled,
                         boolean recoveryEnabled) {
    /** The longest code or recovery code read; anything longer is no code. */
    private static final int MAX_CODE_LENGTH = 64;

    /** The signed-in person and their session. */
    public record SignedIn(Session session, User user) {}

    /**
     * Where the form posts and what it carries: its hidden fields, the client asking (or none),
     * the name to fill in, the parameters the sign-up link keeps, and the origins the form's
     * post may end up redirected to.
     */
    public record Target(String action, Map<String, String> hidden, Optional<String> clientName, String loginHint,
                         Map<String, String> signupParameters, List<String> formTargets) {
        /** A form of the server's own pages, which carries only the given fields. */
        public static Target page(String action, Map<String, String> hidden) {
            return new Target(action, hidden, Optional.empty(), "", Map.of(), List.of());
        }
    }

    /** The person signed in on this browser, if any. */
    public Optional<SignedIn> current(Context ctx) {
        return sessions.current(ctx).flatMap(s -> users.find(s.userId()).map(u -> new SignedIn(s, u)));
    }

    /** Shows the form; {@code error} is the reason it is shown again, or null. */
    public void show(Context ctx, int status, Text t, Target target, String error) {
        String signupUrl = null;
        if (signupEnabled) {
            Map<String, String> params = new LinkedHashMap<>(target.signupParameters());
            params.put("lang", t.tag());
            signupUrl = Links.withQuery("/signup", params);
        }
        String forgotUrl = null;
        if (recoveryEnabled) {
            Map<String, String> params = new LinkedHashMap<>(Places.carried(target.hidden()));
            params.put("lang", t.tag());
            forgotUrl = Links.withQuery("/forgot-password", params);
        }
        String csrfToken = csrf.token(ctx);
        pages.show(ctx, status, t, new Views.Login(target.action(), target.hidden(), csrfToken, target.clientName().orElse(null),
                target.loginHint(), error, signupUrl, forgotUrl, PasskeyOptions.get(passkeys.signIn(csrfToken), true)), target.formTargets());
    }

    /** Whether the account has a second step at sign-in: an authenticator app, or a passkey. */
    public boolean hasSecondFactor(UserId userId) {
        return secondFactors.enabled(userId) || passkeys.any(userId);
    }

    /**
     * Asks a person signed in with a password only for their second factor, because a request
     * needs one (a step-up); the session keeps its sign-in time. Only for accounts that have one.
     */
    public void showStepUp(Context ctx, Text t, Target target, SignedIn signedIn) {
        showCode(ctx, 200, t, target, signedIn.user(), secondSteps.issue(signedIn.user(), SecondStepTokens.Kind.STEP_UP, csrf.token(ctx)),
                SecondStepTokens.Kind.STEP_UP, null);
    }

    /**
     * Checks a posted form (its CSRF token first): the password, a passkey instead of it, or the
     * second step (a code or a passkey).
     * Once the person has proved who they are, it signs them in on this browser (or adds the
     * second factor to their session) and answers the session. Otherwise the next form, or the
     * same one with the reason, is shown, and the answer is empty.
     */
    public Optional<SignedIn> submit(Context ctx, Form form, Text t, Target target) {
        csrf.verify(ctx, form);
        Optional<String> secondStep = form.lenient(SecondStepTokens.FIELD);
        if (secondStep.isPresent()) return submitCode(ctx, form, t, target, secondStep.get());
        if (PasskeyFields.present(form)) return submitPasskey(ctx, form, t, target);
        String login = form.lenient("username").orElse("");
        String password = form.lenient("password").orElse("");
        if (login.isEmpty() || password.isEmpty() || !LoginAttempts.fits(login, password)) {
            show(ctx, 400, t, target, t.get("login.error.missing"));
            return Optional.empty();
        }
        return switch (logins.attempt(login, password, ctx.ip())) {
            case LoginAttempts.Result.Success success -> {
                User user = success.user();
                if (!hasSecondFactor(user.id())) yield Optional.of(signIn(ctx, user, Authentication.PASSWORD));
                showCode(ctx, 200, t, target, user, secondSteps.issue(user, SecondStepTokens.Kind.SIGN_IN, csrf.token(ctx)),
                        SecondStepTokens.Kind.SIGN_IN, null);
                yield Optional.empty();
            }
            case LoginAttempts.Result.WrongCredentials wrong -> {
                show(ctx, 401, t, target, t.get("login.error.wrong"));
                yield Optional.empty();
            }
            case LoginAttempts.Result.Throttled throttled -> {
                show(ctx, 429, t, target, t.format("login.error.throttled", throttled.retryAfterMinutes()));
                yield Optional.empty();
            }
        };
    }

    /**
     * A sign-in with a passkey alone, from the form's script. The authenticator must have verified
     * the person, so it counts as two factors; a refused passkey shows the form again, with the
     * same reason whatever was wrong.
     */
    private Optional<SignedIn> submitPasskey(Context ctx, Form form, Text t, Target target) {
        Optional<Passkeys.Assertion> answer = PasskeyFields.assertion(form);
        if (answer.isEmpty()) {
            show(ctx, 400, t, target, t.get("passkey.error.incomplete"));
            return Optional.empty();
        }
        return switch (passkeys.signIn(answer.get(), csrf.token(ctx), ctx.ip())) {
            case Passkeys.Check.Passed passed -> Optional.of(signIn(ctx, passed.user(), Authentication.passkey(passed.userVerified())));
            case Passkeys.Check.Refused refused -> {
                show(ctx, 401, t, target, t.get("passkey.error.refused"));
                yield Optional.empty();
            }
            case Passkeys.Check.Throttled throttled -> {
                show(ctx, 429, t, target, t.format("passkey.error.throttled", throttled.retryAfterMinutes()));
                yield Optional.empty();
            }
        };
    }

    /** The second step: the code (or a recovery code), or a passkey, for the account whose password was right. */
    private Optional<SignedIn> submitCode(Context ctx, Form form, Text t, Target target, String token) {
        Optional<SecondStepTokens.Opened> opened = secondSteps.open(token);
        // A disabled account's second step ends here, unchecked, even if its password was right before it was disabled.
        Optional<User> user = opened.flatMap(o -> users.find(o.userId())).filter(u -> !u.disabled())
                .filter(u -> secondSteps.verify(token, u, csrf.token(ctx)));
        Optional<SignedIn> current = current(ctx);
        SecondStepTokens.Kind kind = opened.map(SecondStepTokens.Opened::kind).orElse(SecondStepTokens.Kind.SIGN_IN);
        boolean stepUp = kind == SecondStepTokens.Kind.STEP_UP;
        if (user.isEmpty() || stepUp && current.filter(c -> c.user().id().equals(user.get().id())).isEmpty()) {
            // Too late, another browser's, or the password or the session changed since: start again.
            show(ctx, 400, t, target, t.get("second_factor.error.expired"));
            return Optional.empty();
        }
        if (PasskeyFields.present(form)) return submitPasskeyStep(ctx, form, t, target, token, kind, user.get(), stepUp ? current : Optional.empty());
        String code = form.lenient("code").map(String::strip).orElse("");
        if (code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
            showCode(ctx, 400, t, target, user.get(), token, kind, t.get("second_factor.error.missing"));
            return Optional.empty();
        }
        return switch (secondFactors.check(user.get(), code, ctx.ip())) {
            case SecondFactors.Check.Passed passed -> Optional.of(secondStepTaken(ctx, user.get(), stepUp ? current : Optional.empty(),
                    new Authentication(EnumSet.of(AuthenticationMethod.ONE_TIME_PASSWORD))));
            case SecondFactors.Check.Wrong wrong -> {
                showCode(ctx, 401, t, target, user.get(), token, kind, t.get("second_factor.error.wrong"));
                yield Optional.empty();
            }
            case SecondFactors.Check.Replayed replayed -> {
                showCode(ctx, 401, t, target, user.get(), token, kind, t.get("second_factor.error.replayed"));
                yield Optional.empty();
            }
            case SecondFactors.Check.Throttled throttled -> {
                showCode(ctx, 429, t, target, user.get(), token, kind, t.format("second_factor.error.throttled", throttled.retryAfterMinutes()));
                yield Optional.empty();
            }
        };
    }

    /** The second step taken with a passkey: the person present, their verification by the authenticator reported when made. */
    private Optional<SignedIn> submitPasskeyStep(Context ctx, Form form, Text t, Target target, String token, SecondStepTokens.Kind kind,
                                                 User user, Optional<SignedIn> stepUpOf) {
        Optional<Passkeys.Assertion> answer = PasskeyFields.assertion(form);
        if (answer.isEmpty()) {
            showCode(ctx, 400, t, target, user, token, kind, t.get("passkey.error.incomplete"));
            return Optional.empty();
        }
        return switch (passkeys.secondStep(user, answer.get(), csrf.token(ctx), ctx.ip())) {
            case Passkeys.Check.Passed passed -> Optional.of(secondStepTaken(ctx, user, stepUpOf, Authentication.passkey(passed.userVerified())));
            case Passkeys.Check.Refused refused -> {
                showCode(ctx, 401, t, target, user, token, kind, t.get("passkey.error.refused"));
                yield Optional.empty();
            }
            case Passkeys.Check.Throttled throttled -> {
                showCode(ctx, 429, t, target, user, token, kind, t.format("passkey.error.throttled", throttled.retryAfterMinutes()));
                yield Optional.empty();
            }
        };
    }

    /**
     * The second step's form: the code fields where the account has the app, the passkey button
     * where it has a passkey. Its way out: after a password, a sign-in form afresh where the person
     * was (no session exists yet); for a session that steps up, signing that session out.
     */
    private void showCode(Context ctx, int status, Text t, Target target, User user, String token, SecondStepTokens.Kind kind,
                          String error) {
        boolean stepUp = kind == SecondStepTokens.Kind.STEP_UP;
        String leave = stepUp ? Links.withQuery("/logout", Map.of("lang", t.tag())) : Places.back(Places.carried(target.hidden()), t.tag());
        String csrfToken = csrf.token(ctx);
        String passkeyOptions = passkeys.any(user.id()) ? PasskeyOptions.get(passkeys.secondStep(user, csrfToken), false) : null;
        pages.show(ctx, status, t, new Views.SecondFactor(target.action(), target.hidden(), csrfToken, token,
                target.clientName().orElse(null), error, leave, t.get(stepUp ? "second_factor.sign_out" : "second_factor.start_again"),
                secondFactors.enabled(user.id()), passkeyOptions), target.formTargets());
    }

    /**
     * A right second step: a sign-in with the password and {@code step}; or, for a step-up, the
     * browser's session with {@code step} added, keeping its sign-in time, under a new value and
     * a new CSRF cookie.
     */
    private SignedIn secondStepTaken(Context ctx, User user, Optional<SignedIn> stepUpOf, Authentication step) {
        if (stepUpOf.isEmpty()) return signIn(ctx, user, Authentication.PASSWORD.with(step));
        Session session = sessions.stepUp(ctx, stepUpOf.get().session(), step);
        csrf.renew(ctx);
        return new SignedIn(session, stepUpOf.get().user());
    }

    /**
     * Starts a session for a person who has just proved who they are (a password, a second
     * factor, or a new account), with a new CSRF cookie: no form token from before the sign-in
     * outlives it.
     */
    public SignedIn signIn(Context ctx, User user, Authentication amr) {
        Session session = sessions.signIn(ctx, user, amr);
        csrf.renew(ctx);
        return new SignedIn(session, user);
    }
}
