package dev.castgate.store;

import java.time.Instant;
import java.util.List;

/**
 * Attempts under throttle keys (an account, an address, a browser session), for throttling. Each
 * attempt is recorded as pending before it is checked, then settled as a failure or taken back;
 * see {@code login.Throttle}.
 */
public interface LoginFailureStore {
    /** Per key: the failures after {@code since}, and the attempts pending after {@code pendingSince}. */
    record Counts(int failures, int pending) {}

    /**
     * Records one pending attempt under each key and answers, per key and in the same order, its
     * counts, this attempt among the pending ones. Concurrent calls with the same key, from any
     * node, are counted one after the other; call it in a transaction.
     */
    List<Counts> record(String attemptId, List<String> keys, Instant at, Instant since, Instant pendingSince);

    /** The attempt was a failure: it counts as one from now on. */
    void settle(String attemptId);

    /** Removes the rows of one attempt: it does not count. */
    void takeBack(String attemptId);

    /** Forgets the failures under the key (not the attempts still pending); answers how many. */
    int clear(String key);

    /** Forgets the failures under every key that starts with {@code prefix} (not the attempts still pending); answers how many. */
    int clearStartingWith(String prefix);
}
