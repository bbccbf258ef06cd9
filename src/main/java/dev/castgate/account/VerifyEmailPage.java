package dev.castgate.account;

import dev.castgate.audit.AuditTrail;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.EmailLink;
import dev.castgate.domain.User;
import dev.castgate.http.Form;
import dev.castgate.interaction.Links;
import dev.castgate.interaction.MailLinkPages;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.Text;
import dev.castgate.interaction.Views;
import dev.castgate.mail.EmailLinks;
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
 * GET and POST /verify-email: what a verification link opens. The GET shows the address and the
 * account with one button and changes nothing, since mail scanners and link previews fetch links
 * unasked; the POST uses the link up and confirms the address: it becomes verified, or, for an
 * email change, the account's address (if no other account took it meanwhile). No sign-in is
 * needed: the link proves that whoever follows it reads that mailbox.
 */
public record VerifyEmailPage(EmailLinks links, CsrfTokens csrf, Pages pages, Stores stores, Transactions transactions,
                              AuditTrail audit, Clock clock) {
    /** What the POST's transaction did. */
    private enum Confirmation { CONFIRMED, USED_MEANWHILE }

    /** Rolls the confirmation back: the address belongs to another account now. */
    private static final class Taken extends RuntimeException {
        Taken() { super(null, null, false, false); }
    }

    public void show(Context ctx) {
        String token = Form.query(ctx).lenient("token").orElse("");
        Text t = texts(ctx, token);
        EmailLinks.Found found = links.find(stores, token, EmailLink.Purpose.VERIFY);
        Optional<EmailLink> link = usable(found);
        Optional<User> user = link.flatMap(l -> stores.users().find(l.userId()));
        if (user.isEmpty()) {
            unusable(ctx, t, link.isPresent() ? new EmailLinks.Found.Unknown() : found);
            return;
        }
        pages.show(ctx, 200, t, new Views.VerifyEmail(token, csrf.token(ctx), link.get().email(), user.get().username()));
    }

    public void confirm(Context ctx) {
        Form form = Form.parse(ctx);
        csrf.verify(ctx, form);
        String token = form.lenient("token").orElse("");
        Text t = texts(ctx, token);
        EmailLinks.Found found = links.find(stores, token, EmailLink.Purpose.VERIFY);
        if (usable(found).isEmpty()) {
            MailLinkPages.auditPosted(stores, audit, AuditEvent.Type.EMAIL_VERIFIED, found, ctx.ip());
            unusable(ctx, t, found);
            return;
        }
        EmailLink link = usable(found).get();
        Instant now = clock.instant();
        Confirmation confirmation;
        try {
            confirmation = transactions.inTransaction(tx -> {
                // One conditional statement: of two clicks, one confirms and the other finds it used.
                if (!tx.emailLinks().consume(link.tokenHash(), EmailLink.Purpose.VERIFY, now)) return Confirmation.USED_MEANWHILE;
                User user = tx.users().find(link.userId()).orElseThrow(Taken::new);
                boolean change = !user.email().equalsIgnoreCase(link.email());
                if (!tx.users().confirmEmail(user.id(), link.email(), now)) throw new Taken();
                // The change is done: links to any other address it replaced stop working, and so do
                // recovery links, which went to the old address (perhaps left because it was lost).
                if (change) {
                    tx.emailLinks().deleteUnused(user.id(), EmailLink.Purpose.VERIFY, List.of());
                    tx.emailLinks().deleteUnused(user.id(), EmailLink.Purpose.RESET, List.of());
                }
                tx.audit().record(audit.success(AuditEvent.Type.EMAIL_VERIFIED).user(user.id()).address(ctx.ip())
                        .detail(change ? "the new address of an email change" : "the account's address"));
                return Confirmation.CONFIRMED;
            });
        } catch (Taken e) {
            stores.audit().record(audit.failure(AuditEvent.Type.EMAIL_VERIFIED).user(link.userId()).address(ctx.ip())
                    .detail("the address belongs to another account"));
            pages.show(ctx, 409, t, new Views.Message(t.get("verify.taken.title"), t.format("verify.taken.message", link.email()),
                    account(t), t.get("link.account")));
            return;
        }
        if (confirmation == Confirmation.USED_MEANWHILE) {
            EmailLinks.Found meanwhile = links.find(stores, token, EmailLink.Purpose.VERIFY);
            MailLinkPages.auditPosted(stores, audit, AuditEvent.Type.EMAIL_VERIFIED, meanwhile, ctx.ip());
            unusable(ctx, t, meanwhile);
            return;
        }
        pages.show(ctx, 200, t, new Views.Message(t.get("verify.done.title"), t.format("verify.done.message", link.email()),
                account(t), t.get("link.account")));
    }

    private static Optional<EmailLink> usable(EmailLinks.Found found) {
        return found instanceof EmailLinks.Found.Usable usable ? Optional.of(usable.link()) : Optional.empty();
    }

    /** A new link comes from the account page (Send again). */
    private void unusable(Context ctx, Text t, EmailLinks.Found found) {
        MailLinkPages.unusable(pages, ctx, t, found, account(t), "link.account");
    }

    private static String account(Text t) {
        return Links.withQuery("/account", Map.of("lang", t.tag()));
    }

    private Text texts(Context ctx, String token) {
        return pages.text(ctx).withLanguageLinks("/verify-email", token.isEmpty() || token.length() > 100 ? Map.of() : Map.of("token", token));
    }
}
