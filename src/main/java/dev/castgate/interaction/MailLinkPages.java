package dev.castgate.interaction;

import dev.castgate.mail.EmailLinks;
import io.javalin.http.Context;

/** The pages every mailed link shares: the one for a link that cannot be used, saying why and where a new one comes from. */
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
}
