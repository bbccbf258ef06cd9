package dev.castgate.recovery;

import dev.castgate.admin.AdminException;
import dev.castgate.admin.UserAccounts;
import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.PasswordPolicy;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.EmailLink;
import dev.castgate.domain.OutboxMail;
import dev.castgate.domain.User;
import dev.castgate.http.Form;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.MailLinkPages;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.login.SignInKeys;
import dev.castgate.mail.EmailLinks;
import dev.castgate.mail.Outbox;
import dev.castgate.session.CsrfTokens;
import dev.castgate.session.SessionService;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET and POST /reset-password: what a recovery link opens. The GET shows the new-password form
 * and changes nothing; the POST uses the link up and, in one transaction, sets the password
 * (under the sign-up rules), ends every session of the account and, if the person ticks it, every
 * app's and device's grant with its tokens and consent; it also withdraws other recovery links
 * and a pending email change (whoever asked for it may be whom the reset shuts out), forgets the
 * failed sign-ins at the account's names, marks the address verified (the link proved it) and
 * mails a notice. The person is not signed in: they sign in with the new password, back where
 * they were when they asked.
 */
public record ResetPasswordPage(EmailLinks links, UserAccounts accounts, SessionService sessions, CsrfTokens csrf, Pages pages,
                                Stores stores, Transactions transactions, AuditTrail audit, Outbox outbox, Clock clock) {
    public void show(Context ctx) {
        String token = Form.query(ctx).lenient("token").orElse("");
        Text t = texts(ctx, token);
        Optional<Link> link = usable(ctx, t, token, false);
        if (link.isEmpty()) return;
        render(ctx, 200, t, token, link.get().user(), null);
    }

    public void submit(Context ctx) {
        Form form = Form.parse(ctx);
        csrf.verify(ctx, form);
        String token = form.lenient("token").orElse("");
        Text t = texts(ctx, token);
        Optional<Link> found = usable(ctx, t, token, true);
        if (found.isEmpty()) return;
        EmailLink link = found.get().link();
        User user = found.get().user();
        String newPassword = form.lenient("new_password").orElse("");
        if (newPassword.isEmpty()) {
            render(ctx, 400, t, token, user, t.get("reset.error.missing"));
            return;
        }
        String hash;
        try {
            hash = accounts.hashNewPassword(user, newPassword);
        } catch (AdminException e) {
            render(ctx, 400, t, token, user, t.format(e.key().orElse("error.server.message"), PasswordPolicy.MIN_LENGTH, PasswordPolicy.MAX_LENGTH));
            return;
        }
        boolean endApps = form.lenient("end_apps").filter("yes"::equals).isPresent();
        Instant now = clock.instant();
        boolean reset = transactions.inTransaction(tx -> {
            // One conditional statement: a link posted twice at once sets one password.
            if (!tx.emailLinks().consume(link.tokenHash(), EmailLink.Purpose.RESET, now)) return false;
            tx.users().updatePassword(user.id(), hash);
            int sessionsEnded = tx.sessions().deleteAll(user.id());
            int grantsEnded = 0;
            if (endApps) {
                grantsEnded = tx.grants().revokeAll(user.id(), now);
                tx.consents().forgetAll(user.id());
            }
            tx.emailLinks().deleteUnused(user.id(), EmailLink.Purpose.RESET, List.of());
            tx.emailLinks().deleteUnused(user.id(), EmailLink.Purpose.VERIFY, List.of(user.email()));
            if (!user.emailVerified() && link.email().equalsIgnoreCase(user.email())) tx.users().confirmEmail(user.id(), user.email(), now);
            SignInKeys.unlock(tx.loginFailures(), user);
            outbox.enqueue(tx, user, OutboxMail.Kind.PASSWORD_CHANGED, user.email(), t.tag(), Optional.empty(), Optional.empty());
            tx.audit().record(audit.success(AuditEvent.Type.PASSWORD_RESET).user(user.id()).address(ctx.ip())
                    .detail("ended " + sessionsEnded + " sessions" + (endApps ? " and " + grantsEnded + " grants" : "")));
            return true;
        });
        if (!reset) {
            EmailLinks.Found meanwhile = links.find(stores, token, EmailLink.Purpose.RESET);
            MailLinkPages.auditPosted(stores, audit, AuditEvent.Type.PASSWORD_RESET, meanwhile, ctx.ip());
            MailLinkPages.unusable(pages, ctx, t, meanwhile, newLink(t), "link.new_recovery");
            return;
        }
        outbox.committed();
        // This browser's session, if it was the account's, ended with the others: its cookie goes too.
        sessions.current(ctx).ifPresentOrElse(s -> { }, () -> sessions.signOut(ctx));
        String back = link.returnTo().orElse(Links.withQuery("/account", Map.of("lang", t.tag())));
        pages.show(ctx, 200, t, new Views.Message(t.get("reset.done.title"), t.get(endApps ? "reset.done.message_apps" : "reset.done.message"),
                back, t.get("reset.done.link")));
    }

    /** A usable link and its account. */
    private record Link(EmailLink link, User user) {}

    /** The link and its account, or, having shown why it cannot be used (and, when {@code posted}, audited it), nothing. */
    private Optional<Link> usable(Context ctx, Text t, String token, boolean posted) {
        EmailLinks.Found found = links.find(stores, token, EmailLink.Purpose.RESET);
        if (found instanceof EmailLinks.Found.Usable usable) {
            // A link mailed before the account was disabled no longer opens (disabling withdraws it;
            // this covers one mailed in the same moment).
            Optional<User> user = stores.users().find(usable.link().userId()).filter(u -> !u.disabled());
            if (user.isPresent()) return Optional.of(new Link(usable.link(), user.get()));
            found = new EmailLinks.Found.Unknown();
        }
        if (posted) MailLinkPages.auditPosted(stores, audit, AuditEvent.Type.PASSWORD_RESET, found, ctx.ip());
        MailLinkPages.unusable(pages, ctx, t, found, newLink(t), "link.new_recovery");
        return Optional.empty();
    }

    private void render(Context ctx, int status, Text t, String token, User user, String error) {
        pages.show(ctx, status, t, new Views.ResetPassword(token, csrf.token(ctx), user.username(), error));
    }

    private static String newLink(Text t) {
        return Links.withQuery("/forgot-password", Map.of("lang", t.tag()));
    }

    private Text texts(Context ctx, String token) {
        return pages.text(ctx).withLanguageLinks("/reset-password", token.isEmpty() || token.length() > 100 ? Map.of() : Map.of("token", token));
    }
}
