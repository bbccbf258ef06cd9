package dev.castgate.interaction;

import dev.castgate.audit.AuditTrail;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.EmailLink;
import dev.castgate.mail.EmailLinks;
import dev.castgate.store.Stores;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The pages every mailed link shares: the one for a link that cannot be used, saying why and
 * where a new one comes from; and the trail's line when such a link is posted.
 */
public final class MailLinkPages {
    private MailLinkPages() {}

    /** Unknown (or incomplete), used, or expired: 400 with the reason, and a link onwards ({@code nextHref}, its text {@code nextTextKey}). */
    public static void unusable(Pages pages, Context ctx, Text t, EmailLinks.Found found, String nextHref, String nextTextKey) {
        String reason = switch (found) {
            case EmailLinks.Found.Used used -> "link.used";
            case EmailLinks.Found.Expired expired -> "link.expired";
            case EmailLinks.Found.Unknown unknown -> "link.invalid";
            case EmailLinks.Found.Usable usable -> throw new IllegalArgumentException("a usable link");
        };
        pages.show(ctx, 400, t, new Views.Message(t.get(reason + ".title"), t.get(reason + ".message"), nextHref, t.get(nextTextKey)));
    }

    /**
     * A form posted with a link of a known account that was used already or has expired: a
     * failure of {@code type} for that account (someone may be replaying an old mail). Only posts
     * count: mail scanners and previews open links unasked. An unknown token names no account.
     */
    public static void auditPosted(Stores stores, AuditTrail audit, AuditEvent.Type type, EmailLinks.Found found, String address) {
        Optional<EmailLink> link = switch (found) {
            case EmailLinks.Found.Used used -> Optional.of(used.link());
            case EmailLinks.Found.Expired expired -> Optional.of(expired.link());
            case EmailLinks.Found.Unknown unknown -> Optional.empty();
            case EmailLinks.Found.Usable usable -> Optional.empty();
        };
        link.ifPresent(l -> stores.audit().record(audit.failure(type).user(l.userId()).address(address)
                .detail(found instanceof EmailLinks.Found.Used ? "link used already" : "link expired")));
    }
}
