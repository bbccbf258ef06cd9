package dev.castgate.recovery;

import dev.castgate.audit.AuditTrail;
import dev.castgate.config.ServerConfig.MailConfig;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.EmailLink;
import dev.castgate.domain.OutboxMail;
import dev.castgate.domain.User;
import dev.castgate.error.PageException;
import dev.castgate.http.Form;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.Places;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.login.Throttle;
import dev.castgate.mail.EmailLinks;
import dev.castgate.mail.Outbox;
import dev.castgate.session.CsrfTokens;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * GET and POST /forgot-password, linked from the sign-in form with where the person was. A
 * username or email is answered the same whether or not an account has it (ASVS 2.5.x): where
 * one does, a recovery link goes to the account's own address, never to one typed here. Requests
 * are throttled per address, visibly, since that says nothing about any account; mails per
 * account silently, so that the answer never changes with whether the account exists.
 */
public record ForgotPasswordPage(MailConfig mail, EmailLinks links, Outbox outbox, CsrfTokens csrf, Pages pages, Stores stores,
                                 Transactions transactions, AuditTrail audit, Throttle throttle) {
    /** The longest place kept with a link; a longer one (hardly a real authorization request) is not kept. */
    private static final int MAX_RETURN_TO = 4000;

    public void show(Context ctx) {
        Form query = Form.query(ctx);
        Map<String, String> carried = Places.carried(query);
        Text t = texts(ctx, carried);
        requireMail();
        render(ctx, 200, t, carried, query.lenient("login_hint").filter(h -> h.length() <= User.MAX_LOGIN_LENGTH).orElse(""), null);
    }

    public void submit(Context ctx) {
        Form form = Form.parse(ctx);
        csrf.verify(ctx, form);
        Map<String, String> carried = Places.carried(form);
        Text t = texts(ctx, carried);
        requireMail();
        // No name holds a control character; strip() leaves them in place to be refused, as trim() would not.
        String login = form.lenient("login").orElse("").strip();
        if (login.isEmpty() || login.length() > User.MAX_LOGIN_LENGTH || login.chars().anyMatch(Character::isISOControl)) {
            render(ctx, 400, t, carried, login.length() > User.MAX_LOGIN_LENGTH ? "" : login, t.get("recovery.error.missing"));
            return;
        }
        // Every request counts: each is a probe, and each may send a mail.
        Throttle.Attempt fromAddress = throttle.begin(List.of(
                new Throttle.Limit(Throttle.Kind.RECOVERY_ADDRESS.of(ctx.ip()), mail.maxRecoveryRequestsPerAddress())));
        if (fromAddress.refused()) {
            stores.audit().record(audit.failure(AuditEvent.Type.PASSWORD_RESET_REQUESTED).address(ctx.ip()).detail("throttled"));
            render(ctx, 429, t, carried, login, t.format("recovery.error.throttled", throttle.retryAfterMinutes()));
            return;
        }
        throttle.settle(fromAddress);
        Optional<User> user = stores.users().findByLogin(login);
        // The account's allowance, counted for a name no account has too, so both take the same steps.
        String subject = user.map(u -> u.id().value()).orElse("name:" + login.toLowerCase(Locale.ROOT));
        Throttle.Attempt forAccount = throttle.begin(List.of(
                new Throttle.Limit(Throttle.Kind.RECOVERY_MAIL.of(subject), mail.maxLinksPerAccount())));
        if (!forAccount.refused()) throttle.settle(forAccount);
        if (user.isEmpty()) {
            stores.audit().record(audit.failure(AuditEvent.Type.PASSWORD_RESET_REQUESTED).address(ctx.ip()).detail("no such account"));
        } else if (user.get().disabled()) {
            // A new password would not let a disabled account sign in; its owner hears why from the operator.
            stores.audit().record(audit.failure(AuditEvent.Type.PASSWORD_RESET_REQUESTED).user(user.get().id()).address(ctx.ip())
                    .detail("account disabled; none sent"));
        } else if (forAccount.refused()) {
            stores.audit().record(audit.failure(AuditEvent.Type.PASSWORD_RESET_REQUESTED).user(user.get().id()).address(ctx.ip())
                    .detail("too many recovery mails for the account; none sent"));
        } else {
            mailLink(ctx, t, carried, user.get());
        }
        pages.show(ctx, 200, t, new Views.Message(t.get("recovery.sent.title"), t.get("recovery.sent.message"),
                Places.back(carried, t.tag()), t.get("recovery.back")));
    }

    private void mailLink(Context ctx, Text t, Map<String, String> carried, User user) {
        String back = Places.back(carried, t.tag());
        Optional<String> returnTo = Optional.of(back).filter(b -> b.length() <= MAX_RETURN_TO);
        transactions.inTransaction(tx -> {
            EmailLink link = links.issue(tx, user.id(), EmailLink.Purpose.RESET, user.email(), returnTo);
            outbox.enqueue(tx, user, OutboxMail.Kind.PASSWORD_RESET, user.email(), t.tag(), Optional.of(link), Optional.empty());
            tx.audit().record(audit.success(AuditEvent.Type.PASSWORD_RESET_REQUESTED).user(user.id()).address(ctx.ip()).detail("link mailed"));
            return null;
        });
        outbox.committed();
    }

    /** Without mail there is no way to prove the mailbox: a page that says so, and whom to ask. */
    private void requireMail() {
        if (!mail.available()) throw new PageException(404, "recovery.unavailable.title", "recovery.unavailable.message");
    }

    private void render(Context ctx, int status, Text t, Map<String, String> carried, String login, String error) {
        pages.show(ctx, status, t, new Views.ForgotPassword(carried, csrf.token(ctx), login, error, Places.back(carried, t.tag())));
    }

    private Text texts(Context ctx, Map<String, String> carried) {
        return pages.text(ctx).withLanguageLinks("/forgot-password", carried);
    }
}
