package dev.castgate.account;

import dev.castgate.admin.AdminException;
import dev.castgate.admin.UserAccounts;
import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.Client;
import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.OutboxMail;
import dev.castgate.domain.User;
import dev.castgate.error.PageException;
import dev.castgate.http.Form;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.ScopeDescriptions;
import dev.castgate.interaction.SignInForm;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.login.LoginAttempts;
import dev.castgate.mail.EmailVerification;
import dev.castgate.login.Passkeys;
import dev.castgate.login.SecondFactors;
import dev.castgate.session.CsrfTokens;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * /account: the signed-in user's own page. Profile (name, email), password (the current one
 * required; a change ends the user's other sessions), two-step sign-in ({@link SecondFactorPage})
 * and passkeys ({@link PasskeyPage}) with their lists, and the connected apps and devices, a row
 * each however often they were authorized ({@link ConnectedApps}), with a Revoke button that ends
 * every token of the row's grants and forgets the consent, so the next authorization asks again.
 * A new email address needs the password and takes effect only once a link mailed to it is
 * followed ({@link EmailVerification}); until then the old one stays, and is told. Without a
 * session it is a sign-in page that comes back here.
 */
public record AccountPage(SignInForm signInForm, CsrfTokens csrf, LoginAttempts logins, UserAccounts accounts, SecondFactors secondFactors,
                          Passkeys passkeys, Pages pages, ScopeDescriptions scopeDescriptions, Stores stores, Transactions transactions, AuditTrail audit,
                          Clock clock, EmailVerification verification) {
    private static final SignInForm.Target SIGN_IN = SignInForm.Target.page("/account/login", Map.of());

    /** What one of the account page's forms does with its fields, once its CSRF token is checked and its poster known. */
    interface FormAction {
        void handle(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn);
    }

    /** What every account form starts with; without a signed-in person it goes back to the account page instead. */
    void whenPosted(Context ctx, FormAction action) {
        Form form = Form.parse(ctx);
        csrf.verify(ctx, form);
        Text t = texts(ctx);
        Optional<SignInForm.SignedIn> current = signInForm.current(ctx);
        if (current.isEmpty()) {
            ctx.status(303).header("Location", home(t));
            return;
        }
        action.handle(ctx, form, t, current.get());
    }

    public void show(Context ctx) {
        Text t = texts(ctx);
        Optional<SignInForm.SignedIn> current = signInForm.current(ctx);
        if (current.isEmpty()) {
            signInForm.show(ctx, 200, t, SIGN_IN, null);
            return;
        }
        render(ctx, 200, t, current.get().user(), null, null);
    }

    /** POST /account/login: the sign-in form of the account page. */
    public void login(Context ctx) {
        Form form = Form.parse(ctx);
        Text t = texts(ctx);
        if (signInForm.submit(ctx, form, t, SIGN_IN).isPresent()) ctx.status(303).header("Location", home(t));
    }

    /**
     * POST /account/profile: the name at once; a new email address only with the password, and
     * only once a link mailed to it is followed, while the old address stays and gets a notice.
     */
    public void updateProfile(Context ctx) { whenPosted(ctx, this::updateProfile); }

    private void updateProfile(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        User user = signedIn.user();
        String email = form.lenient("email").orElse("").trim();
        Optional<String> name = form.lenient("name").map(String::trim).filter(n -> !n.isEmpty());
        try {
            UserAccounts.requireName(name);
            if (email.equalsIgnoreCase(user.email())) {
                User updated = accounts.updateProfile(user, name, user.email());
                stores.audit().record(audit.success(AuditEvent.Type.PROFILE_CHANGED).user(user.id()).address(ctx.ip()).detail("name"));
                render(ctx, 200, t, updated, t.get("account.notice.profile"), null);
                return;
            }
            UserAccounts.requireEmail(email);
        } catch (AdminException e) {
            render(ctx, 400, t, user, null, reason(t, e));
            return;
        }
        if (!verification.available()) {
            render(ctx, 400, t, user, null, t.get("account.error.no_mail"));
            return;
        }
        if (stores.users().findByLogin(email).filter(other -> !other.id().equals(user.id())).isPresent()) {
            render(ctx, 400, t, user, null, t.get("account.error.email_taken"));
            return;
        }
        String password = form.lenient("current_password").orElse("");
        if (password.isEmpty() || password.length() > PasswordPolicy.MAX_LENGTH) {
            render(ctx, 400, t, user, null, t.get("account.error.profile_password"));
            return;
        }
        // The password, counted like a sign-in: a borrowed session must not move the account to another mailbox.
        if (!confirmed(ctx, t, user, password, AuditEvent.Type.EMAIL_CHANGE_REQUESTED)) return;
        if (!verification.mayMail(user.id())) {
            render(ctx, 429, t, user, null, t.format("account.error.resend_throttled", verification.throttle().retryAfterMinutes()));
            return;
        }
        transactions.inTransaction(tx -> {
            tx.users().updateProfile(user.id(), name, user.email(), user.emailVerified(), clock.instant());
            verification.requestChange(tx, user, email, t.tag());
            tx.audit().record(audit.success(AuditEvent.Type.EMAIL_CHANGE_REQUESTED).user(user.id()).address(ctx.ip())
                    .detail("waits for the new address's confirmation"));
            return null;
        });
        verification.outbox().committed();
        render(ctx, 200, t, stores.users().find(user.id()).orElseThrow(), t.format("account.notice.email_change", email, user.email()), null);
    }

    /**
     * POST /account/email/resend: a new link to the address waiting for its confirmation (an email
     * change's, else the current one), within the account's allowance of verification mails.
     */
    public void resendVerification(Context ctx) { whenPosted(ctx, this::resendVerification); }

    private void resendVerification(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        User user = signedIn.user();
        if (!verification.available()) {
            render(ctx, 400, t, user, null, t.get("account.error.no_mail"));
            return;
        }
        Optional<String> pending = verification.pendingChange(stores, user, clock.instant());
        if (pending.isEmpty() && user.emailVerified()) {
            render(ctx, 200, t, user, t.get("account.notice.already_verified"), null);
            return;
        }
        if (!verification.mayMail(user.id())) {
            stores.audit().record(audit.failure(AuditEvent.Type.EMAIL_VERIFICATION_SENT).user(user.id()).address(ctx.ip()).detail("throttled"));
            render(ctx, 429, t, user, null, t.format("account.error.resend_throttled", verification.throttle().retryAfterMinutes()));
            return;
        }
        String address = pending.orElse(user.email());
        transactions.inTransaction(tx -> {
            verification.send(tx, user, address, t.tag());
            tx.audit().record(audit.success(AuditEvent.Type.EMAIL_VERIFICATION_SENT).user(user.id()).address(ctx.ip())
                    .detail(pending.isPresent() ? "to the new address of an email change" : "to the current address"));
            return null;
        });
        verification.outbox().committed();
        render(ctx, 200, t, user, t.format("account.notice.resent", address), null);
    }

    /** Checks the signed-in person's password before a change; shows the page with the reason when it is wrong or throttled. */
    private boolean confirmed(Context ctx, Text t, User user, String password, AuditEvent.Type change) {
        switch (logins.confirm(user, password, ctx.ip())) {
            case LoginAttempts.Result.WrongCredentials wrong -> {
                stores.audit().record(audit.failure(change).user(user.id()).address(ctx.ip()).detail("wrong current password"));
                render(ctx, 400, t, user, null, t.get("account.error.current_password"));
                return false;
            }
            case LoginAttempts.Result.Throttled throttled -> {
                render(ctx, 429, t, user, null, t.format("account.error.throttled", throttled.retryAfterMinutes()));
                return false;
            }
            case LoginAttempts.Result.Success success -> {
                return true;
            }
        }
    }

    /**
     * The current password, for a change to the second step (the app's recovery codes, turning it
     * off, adding or removing a passkey), checked and throttled like a password change's, so a
     * session left open elsewhere can neither weaken the account nor add a way into it; otherwise
     * the account page says why ({@code missingKey} when none was given).
     */
    boolean passwordConfirmed(Context ctx, Form form, Text t, User user, String missingKey) {
        String password = form.lenient("current_password").orElse("");
        if (password.isEmpty() || password.length() > PasswordPolicy.MAX_LENGTH) {
            render(ctx, 400, t, user, null, t.get(missingKey));
            return false;
        }
        return switch (logins.confirm(user, password, ctx.ip())) {
            case LoginAttempts.Result.Success success -> true;
            case LoginAttempts.Result.WrongCredentials wrong -> {
                render(ctx, 400, t, user, null, t.get("account.error.current_password"));
                yield false;
            }
            case LoginAttempts.Result.Throttled throttled -> {
                render(ctx, 429, t, user, null, t.format("account.error.throttled", throttled.retryAfterMinutes()));
                yield false;
            }
        };
    }

    /** POST /account/password: the current password, then the new one; the user's other sessions end. */
    public void changePassword(Context ctx) { whenPosted(ctx, this::changePassword); }

    private void changePassword(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        User user = signedIn.user();
        String currentPassword = form.lenient("current_password").orElse("");
        String newPassword = form.lenient("new_password").orElse("");
        if (currentPassword.isEmpty() || newPassword.isEmpty() || currentPassword.length() > PasswordPolicy.MAX_LENGTH) {
            render(ctx, 400, t, user, null, t.get("account.error.password_missing"));
            return;
        }
        if (!confirmed(ctx, t, user, currentPassword, AuditEvent.Type.PASSWORD_CHANGED)) return;
        String hash;
        try {
            hash = accounts.hashNewPassword(user, newPassword);
        } catch (AdminException e) {
            render(ctx, 400, t, user, null, reason(t, e));
            return;
        }
        // The new password and the end of the other sessions commit together or not at all.
        transactions.inTransaction(tx -> {
            tx.users().updatePassword(user.id(), hash);
            int ended = tx.sessions().deleteOthers(user.id(), signedIn.session().hash());
            tx.audit().record(audit.success(AuditEvent.Type.PASSWORD_CHANGED).user(user.id()).address(ctx.ip())
                    .detail("ended " + ended + " other sessions"));
            // ASVS 2.2.3: the person hears of a changed credential at their address.
            verification.outbox().enqueue(tx, user, OutboxMail.Kind.PASSWORD_CHANGED, user.email(), t.tag(), Optional.empty(), Optional.empty());
            return null;
        });
        verification.outbox().committed();
        render(ctx, 200, t, user, t.get("account.notice.password"), null);
    }

    /**
     * POST /account/grants/revoke: ends every token of the row's grants at once (the app's, on
     * that device) and forgets the app's consent.
     */
    public void revokeGrant(Context ctx) { whenPosted(ctx, this::revokeGrant); }

    private void revokeGrant(Context ctx, Form form, Text t, SignInForm.SignedIn signedIn) {
        User user = signedIn.user();
        String grantId = form.lenient("grant_id").orElse("");
        // Someone else's grant is answered like one that does not exist.
        Grant grant = Optional.of(grantId).filter(id -> id.matches("[0-9a-f]{40}")).flatMap(id -> stores.grants().find(new GrantId(id)))
                .filter(g -> g.userId().equals(Optional.of(user.id())))
                .orElseThrow(PageException::notFound);
        Instant now = clock.instant();
        transactions.inTransaction(tx -> {
            List<ConnectedApp> live = tx.grants().listLive(user.id(), now);
            List<GrantId> ended = live.stream().filter(app -> app.grantId().equals(grant.id())).findFirst()
                    .map(app -> ConnectedApps.sameRow(live, app).stream().map(ConnectedApp::grantId).toList())
                    .orElse(List.of(grant.id())); // already ended: revoking it again changes nothing
            for (GrantId id : ended) {
                tx.grants().revoke(id, now);
                tx.audit().record(audit.success(AuditEvent.Type.GRANT_REVOKED).user(user.id()).client(grant.clientId())
                        .address(ctx.ip()).detail("grant " + id));
            }
            tx.consents().forget(user.id(), grant.clientId());
            return null;
        });
        String clientName = stores.clients().find(grant.clientId()).map(Client::name).orElse(grant.clientId().value());
        render(ctx, 200, t, user, t.format("account.notice.revoked", clientName), null);
    }

    private static String reason(Text t, AdminException e) {
        return t.format(e.key().orElse("error.server.message"), PasswordPolicy.MIN_LENGTH, PasswordPolicy.MAX_LENGTH);
    }

    /** The account page, with a notice of what was just done, or the reason it was not. */
    void render(Context ctx, int status, Text t, User user, String notice, String error) {
        List<Views.App> apps = ConnectedApps.rows(stores.grants().listLive(user.id(), clock.instant())).stream()
                .map(app -> view(app, t)).toList();
        SecondFactors.Status secondFactor = secondFactors.status(user.id());
        String pending = verification.available() ? verification.pendingChange(stores, user, clock.instant()).orElse(null) : null;
        pages.show(ctx, status, t, new Views.Account(csrf.token(ctx), user.username(), user.name().orElse(""), user.email(),
                user.emailVerified(), pending, verification.available(), notice, error,
                secondFactor.enabled() ? secondFactor.recoveryCodesLeft() : null,
                passkeys.list(user.id()).stream().map(p -> new Views.PasskeyLine(p.credentialId(), p.name(), t.dateTime(p.createdAt()),
                        p.lastUsedAt().map(t::dateTime).orElse(null))).toList(), apps));
    }

    private Views.App view(ConnectedApp app, Text t) {
        return new Views.App(app.grantId().value(), app.clientName(), app.deviceName().orElse(null),
                scopeDescriptions.describe(app.scope(), app.legacyApiWrites(), t), t.dateTime(app.createdAt()), t.dateTime(app.lastUsedAt()));
    }

    Text texts(Context ctx) {
        return pages.text(ctx).withLanguageLinks("/account", Map.of());
    }

    private static String home(Text t) {
        return Links.withQuery("/account", Map.of("lang", t.tag()));
    }
}
