package dev.castgate.session;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.LogoutDelivery;
import dev.castgate.domain.Session;
import dev.castgate.domain.UserId;
import dev.castgate.store.Stores;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Back-Channel Logout 1.0 §2.5: when a session ends, every client that had a grant in it and
 * registered a back-channel logout URI is to be told, with a logout token. The deliveries are
 * written in the transaction of the change that ends the session, and sent by
 * {@code logout.LogoutDeliveryWorker}; {@code wake} asks it for a round at once.
 */
public record BackChannelLogout(RandomTokens random, Clock clock, Runnable wake) {
    /** Queues a logout token for each client of {@code session}; false when there was none to tell. */
    public boolean sessionEnded(Stores tx, Session session) {
        return session.sid().map(sid -> queue(tx, session.userId(), sid)).orElse(false);
    }

    /** Queues a logout token for each client of each of the user's sessions, before they all end (an account disabled). */
    public boolean everySessionEnds(Stores tx, UserId userId) {
        boolean any = false;
        for (String sid : tx.logoutDeliveries().sessionsOf(userId)) any |= queue(tx, userId, sid);
        return any;
    }

    private boolean queue(Stores tx, UserId userId, String sid) {
        Instant now = clock.instant();
        boolean any = false;
        for (ClientId client : tx.logoutDeliveries().clientsOfSession(sid)) {
            tx.logoutDeliveries().insert(new LogoutDelivery(random.sortableHex40(now), client, userId, Optional.of(sid), now, now, 0));
            any = true;
        }
        return any;
    }

    /** After the transaction that queued deliveries committed: send them now rather than at the next poll. */
    public void sendSoon() { wake.run(); }
}
