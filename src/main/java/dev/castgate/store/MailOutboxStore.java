package dev.castgate.store;

import dev.castgate.domain.OutboxMail;
import java.time.Instant;
import java.util.List;

/**
 * Mail waiting to be sent. Any node's worker may send a row; it claims it first for a lease, with
 * one conditional statement, so one node tries it at a time, and a node that stops mid-send
 * leaves it to another once the lease runs out.
 */
public interface MailOutboxStore {
    void insert(OutboxMail mail);

    /** Up to {@code limit} mails due at {@code now}, not done and not under a running lease, oldest first. */
    List<OutboxMail> due(Instant now, int limit);

    /**
     * Claims the mail for {@code worker} until {@code leaseEnd} and counts an attempt; false when
     * another worker holds it, it is done or it is not due.
     */
    boolean claim(String id, String worker, Instant now, Instant leaseEnd);

    /** The mail left the outbox: sent, dropped or given up. */
    void finish(String id, OutboxMail.Outcome outcome, Instant at);

    /** The attempt failed: try again at {@code next}, unless another worker claimed it meanwhile. */
    void retryAt(String id, String worker, Instant next, String error);
}
