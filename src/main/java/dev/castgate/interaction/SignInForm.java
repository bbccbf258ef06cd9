package dev.castgate.interaction;

import dev.castgate.domain.Session;
import dev.castgate.domain.User;
import dev.castgate.http.Form;
import dev.castgate.login.LoginAttempts;
import dev.castgate.session.CsrfTokens;
import dev.castgate.session.SessionService;
import dev.castgate.store.UserStore;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The password sign-in form, wherever a person is asked to sign in: {@code /authorize},
 * {@code /device} and {@code /account} show it, and it starts the session that {@code /signup}
 * also starts. The password is checked and throttled by {@link LoginAttempts}; a refused attempt
 * shows the form again with its reason and the status that names it (400 incomplete, 401 wrong,
 * 429 throttled). Where mail is sent ({@code recoveryEnabled}) it links to "Forgot password?",
 * carrying where the person is, to come back to after the new password.
 */
public record SignInForm(SessionService sessions, UserStore users, CsrfTokens csrf, LoginAttempts logins, Pages pages,
                         boolean signupEnabled, boolean recoveryEnabled) {
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
        pages.show(ctx, status, t, new Views.Login(target.action(), target.hidden(), csrf.token(ctx), target.clientName().orElse(null),
                target.loginHint(), error, signupUrl, forgotUrl), target.formTargets());
    }

    /**
     * Checks a posted form (its CSRF token first) and, when the password is right, signs the
     * person in on this browser. Otherwise the form is shown again with the reason, and the
     * answer is empty.
     */
    public Optional<User> submit(Context ctx, Form form, Text t, Target target) {
        csrf.verify(ctx, form);
        String login = form.lenient("username").orElse("");
        String password = form.lenient("password").orElse("");
        if (login.isEmpty() || password.isEmpty() || !LoginAttempts.fits(login, password)) {
            show(ctx, 400, t, target, t.get("login.error.missing"));
            return Optional.empty();
        }
        return switch (logins.attempt(login, password, ctx.ip())) {
            case LoginAttempts.Result.Success success -> {
                signIn(ctx, success.user());
                yield Optional.of(success.user());
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
     * Starts a session for a person who has just proved who they are (a password, or a new
     * account), with a new CSRF cookie: no form token from before the sign-in outlives it.
     */
    public void signIn(Context ctx, User user) {
        sessions.signIn(ctx, user);
        csrf.renew(ctx);
    }
}
