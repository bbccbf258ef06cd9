package dev.castgate.store;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.LogoutDelivery;
import java.time.Instant;
import java.util.List;

/**
 * Logout tokens waiting to be sent (Back-Channel Logout 1.0), kept and claimed as the mail outbox
 * is ({@link MailOutboxStore}): any node's worker may send a row once it holds its lease.
 */
public interface LogoutDeliveryStore {
    /** The clients to tell that session {@code sid} ended: those with a back-channel logout URI that had a grant in it. */
    List<ClientId> clientsOfSession(String sid);

    /** The sids of the user's live sessions, for ending them all at once. */
    List<String> sessionsOf(dev.castgate.domain.UserId userId);

    void insert(LogoutDelivery delivery);

    /** Up to {@code limit} deliveries due at {@code now}, not done and not under a running lease, oldest first. */
    List<LogoutDelivery> due(Instant now, int limit);

    /** Claims the delivery for {@code worker} until {@code leaseEnd} and counts an attempt; false when another holds it or it is done. */
    boolean claim(String id, String worker, Instant now, Instant leaseEnd);

    /** The delivery is over: {@code sent} or {@code given_up}. */
    void finish(String id, String outcome, Instant at);

    /** The attempt failed: try again at {@code next}, unless another worker claimed it meanwhile. */
    void retryAt(String id, String worker, Instant next, String error);
}
