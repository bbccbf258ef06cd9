package dev.castgate.mail;

import dev.castgate.domain.EmailLink;
import dev.castgate.domain.OutboxMail;
import dev.castgate.domain.User;
import dev.castgate.domain.UserId;
import dev.castgate.login.Throttle;
import dev.castgate.store.Stores;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Asking a person to confirm an address: after sign-up, for the new address of an email change
 * (which waits for that confirmation while the old address stays in force and is told), and
 * again on request. Each of these mails counts against the account's limit per window
 * ({@code mail.max_links_per_account}), so nobody can have Castgate flood a mailbox.
 */
public record EmailVerification(EmailLinks links, Outbox outbox, Throttle throttle, int maxPerAccount) {
    /** Whether mail leaves at all; where it does not (production without an SMTP server) no address can be confirmed. */
    public boolean available() { return outbox.enabled(); }

    /** Counts one verification mail to the account; false, counting nothing, when the window's allowance is spent. */
    public boolean mayMail(UserId userId) {
        Throttle.Attempt attempt = throttle.begin(List.of(new Throttle.Limit(Throttle.Kind.VERIFICATION_MAIL.of(userId.value()), maxPerAccount)));
        if (attempt.refused()) return false;
        throttle.settle(attempt);
        return true;
    }

    /** Mails a link that confirms {@code address} for the user; in the transaction of the change that asks for it. */
    public void send(Stores tx, User user, String address, String language) {
        EmailLink link = links.issue(tx, user.id(), EmailLink.Purpose.VERIFY, address, Optional.empty());
        outbox.enqueue(tx, user, OutboxMail.Kind.VERIFY_EMAIL, address, language, Optional.of(link), Optional.empty());
    }

    /**
     * Starts an email change: a link to the new address, which takes effect when it is followed,
     * and a notice to the current one. A change asked for before to yet another address is
     * withdrawn (its links stop working); the current address's own links stay.
     */
    public void requestChange(Stores tx, User user, String newAddress, String language) {
        tx.emailLinks().deleteUnused(user.id(), EmailLink.Purpose.VERIFY, List.of(user.email(), newAddress));
        send(tx, user, newAddress, language);
        outbox.enqueue(tx, user, OutboxMail.Kind.EMAIL_CHANGE_NOTICE, user.email(), language, Optional.empty(), Optional.of(newAddress));
    }

    /**
     * An email change an operator made ({@code before} to {@code after}), which took effect at
     * once: every link still out for the account stops working, since the verification links
     * confirm an address no longer wanted (one to the old address would even move the account back
     * there) and the recovery links went to a mailbox that may be the very reason for the change;
     * the old address is told, as with a person's own change; and unless the operator vouched for
     * the new address, a link to it asks for its confirmation. Not counted against the account's
     * allowance: no stranger can make an operator act. In the transaction of the change.
     */
    public void changedByOperator(Stores tx, User before, User after, String language) {
        tx.emailLinks().deleteUnused(after.id(), EmailLink.Purpose.VERIFY, List.of());
        tx.emailLinks().deleteUnused(after.id(), EmailLink.Purpose.RESET, List.of());
        if (!after.emailVerified()) send(tx, after, after.email(), language);
        outbox.enqueue(tx, after, OutboxMail.Kind.EMAIL_CHANGED_NOTICE, before.email(), language, Optional.empty(),
                Optional.of(after.email()));
    }

    /** The address an email change of the user waits to have confirmed, if any. */
    public Optional<String> pendingChange(Stores stores, User user, Instant now) {
        return stores.emailLinks().findPendingChange(user.id(), user.email(), now).map(EmailLink::email);
    }
}
