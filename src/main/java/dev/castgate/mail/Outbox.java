package dev.castgate.mail;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.EmailLink;
import dev.castgate.domain.OutboxMail;
import dev.castgate.domain.User;
import dev.castgate.store.Stores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where mail is put to be sent: a row written in the transaction of the change that causes it,
 * so the mail exists exactly when the change committed, and no request waits for a mail server.
 * A background worker on any node sends it ({@code mail.delivery.MailWorker}); {@code wake} tells
 * this node's worker that there is something to send. Where no mail leaves ({@code enabled} false:
 * production without an SMTP server), nothing is enqueued.
 */
public record Outbox(boolean enabled, RandomTokens random, Clock clock, Runnable wake) {
    /** How long a notice without a link is tried; a mail with a link, until its link expires. */
    public static final Duration NOTICE_LIFETIME = Duration.ofDays(3);

    /** Puts a mail for {@code user} into the outbox, in the language of the page they used ({@code language}, a tag such as hu_HU). */
    public void enqueue(Stores tx, User user, OutboxMail.Kind kind, String recipient, String language, Optional<EmailLink> link,
                        Optional<String> detail) {
        if (!enabled) return;
        Instant now = clock.instant();
        tx.mailOutbox().insert(new OutboxMail(random.sortableHex40(now), user.id(), kind, recipient, language, link.map(EmailLink::id),
                detail, now, link.map(EmailLink::expiresAt).orElse(now.plus(NOTICE_LIFETIME)), now, 0));
    }

    /** After the transaction that enqueued committed: this node's worker looks now instead of at its next round. */
    public void committed() { wake.run(); }
}
