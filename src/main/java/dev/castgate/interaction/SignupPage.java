package dev.castgate.interaction;

import dev.castgate.admin.AdminException;
import dev.castgate.admin.UserAccounts;
import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.LoginThrottleConfig;
import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Authentication;
import dev.castgate.domain.Client;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.User;
import dev.castgate.error.PageException;
import dev.castgate.http.Form;
import dev.castgate.login.Throttle;
import dev.castgate.mail.EmailVerification;
import dev.castgate.session.CsrfTokens;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET and POST /signup: a new account under the same rules as the command-line tool's
 * ({@link UserAccounts}), signed in at once. Linked from the sign-in page with the authorization
 * request it interrupted, which it carries through its form and continues afterwards, as the
 * sign-in form does. Sign-ups are counted per address and throttled like failed sign-ins. The new
 * account's address is not verified: where mail is sent, a link to confirm it goes out, enqueued
 * in the transaction that stores the account.
 */
public record SignupPage(boolean enabled, UserAccounts accounts, SignInForm signInForm, CsrfTokens csrf, Pages pages, Stores stores,
                         Transactions transactions, AuditTrail audit, Throttle throttle, LoginThrottleConfig limits,
                         EmailVerification verification) {
    /** Rolls the new account's transaction back when its name or email was taken meanwhile. */
    private static final class Taken extends RuntimeException {
        Taken() { super(null, null, false, false); }
    }

    public void show(Context ctx) {
        if (!enabled) throw PageException.notFound();
        Form query = Form.query(ctx);
        Map<String, String> carried = Places.authorization(query);
        Text t = texts(ctx, carried);
        render(ctx, 200, t, carried, query.lenient("login_hint").orElse(""), "", "", null);
    }

    public void submit(Context ctx) {
        if (!enabled) throw PageException.notFound();
        Form form = Form.parse(ctx);
        csrf.verify(ctx, form);
        Map<String, String> carried = Places.authorization(form);
        Text t = texts(ctx, carried);
        String username = form.lenient("username").orElse("").trim();
        String email = form.lenient("email").orElse("").trim();
        String name = form.lenient("name").orElse("").trim();
        String password = form.lenient("password").orElse("");

        // Every attempt with the form filled in counts, not only failures: the form also tells
        // whether a name is taken.
        Throttle.Attempt attempt = throttle.begin(List.of(
                new Throttle.Limit(Throttle.Kind.SIGN_UP_ADDRESS.of(ctx.ip()), limits.maxFailuresPerAddress())));
        if (attempt.refused()) {
            stores.audit().record(audit.failure(AuditEvent.Type.SIGN_UP).address(ctx.ip()).detail("throttled"));
            render(ctx, 429, t, carried, username, email, name, t.format("signup.error.throttled", throttle.retryAfterMinutes()));
            return;
        }
        if (username.isEmpty() || email.isEmpty() || password.isEmpty()) {
            throttle.takeBack(attempt);
            render(ctx, 400, t, carried, username, email, name, t.get("signup.error.missing"));
            return;
        }
        throttle.settle(attempt);
        User user;
        try {
            User prepared = accounts.newAccount(username, email, false, Optional.of(name).filter(n -> !n.isEmpty()), password);
            Optional<ClientId> clientId = client(carried).map(Client::id);
            transactions.inTransaction(tx -> {
                if (!accounts.insert(tx, prepared)) throw new Taken();
                tx.audit().record(audit.success(AuditEvent.Type.SIGN_UP).user(prepared.id()).address(ctx.ip())
                        .client(clientId.orElse(null)).detail(prepared.username()));
                if (verification.available()) {
                    verification.send(tx, prepared, prepared.email(), t.tag());
                    tx.audit().record(audit.success(AuditEvent.Type.EMAIL_VERIFICATION_SENT).user(prepared.id()).address(ctx.ip())
                            .detail("after sign-up"));
                }
                return null;
            });
            user = stores.users().find(prepared.id()).orElseThrow();
        } catch (AdminException e) {
            String reason = t.format(e.key().orElse("account.error.taken"), PasswordPolicy.MIN_LENGTH, PasswordPolicy.MAX_LENGTH);
            render(ctx, 400, t, carried, username, email, name, reason);
            return;
        } catch (Taken e) {
            render(ctx, 400, t, carried, username, email, name, t.get("account.error.taken"));
            return;
        }
        verification.outbox().committed();
        signInForm.signIn(ctx, user, Authentication.PASSWORD);
        ctx.status(303).header("Location", continuation(carried, t));
    }

    /**
     * Back to the authorization request the person came from, or to the account page. The
     * person has just signed in, so prompt and max_age, which ask for a sign-in, are met.
     */
    private static String continuation(Map<String, String> carried, Text t) {
        Map<String, String> params = new LinkedHashMap<>(carried);
        params.put("lang", t.tag());
        if (!carried.containsKey("client_id")) return Links.withQuery("/account", Map.of("lang", t.tag()));
        params.remove("prompt");
        params.remove("max_age");
        return Links.withQuery("/authorize", params);
    }

    private void render(Context ctx, int status, Text t, Map<String, String> carried, String username, String email, String name,
                        String error) {
        String clientName = client(carried).map(Client::name).orElse(null);
        Map<String, String> back = new LinkedHashMap<>(carried);
        back.put("lang", t.tag());
        String signInUrl = carried.containsKey("client_id") ? Links.withQuery("/authorize", back) : Links.withQuery("/account", Map.of("lang", t.tag()));
        pages.show(ctx, status, t, new Views.Signup(carried, csrf.token(ctx), clientName, username, email, name, error, signInUrl));
    }

    /** The registered client the carried request names, if any. */
    private Optional<Client> client(Map<String, String> carried) {
        return Optional.ofNullable(carried.get("client_id")).filter(id -> id.matches("[0-9a-f]{40}")).flatMap(id -> stores.clients().find(new ClientId(id)));
    }

    private Text texts(Context ctx, Map<String, String> carried) {
        return pages.text(ctx).withLanguageLinks("/signup", carried);
    }
}
