package dev.castgate.store;

import dev.castgate.domain.Passkey;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Passkeys, found by their credential id (a point query at every passkey sign-in) or listed per
 * account; and the challenges already answered, each recorded once.
 */
public interface PasskeyStore {
    Optional<Passkey> find(String credentialId);

    /** The account's passkeys, oldest first. */
    List<Passkey> list(UserId userId);

    int count(UserId userId);

    /** Stores a new passkey; false, and nothing stored, when a passkey with its credential id exists (on any account). */
    boolean insert(Passkey passkey);

    /**
     * Records a use: the new counter and the time, only if the stored counter is still
     * {@code expectedCount}, so two uses at once cannot both move it; false otherwise, or when the
     * passkey is gone.
     */
    boolean recordUse(String credentialId, long expectedCount, long newCount, Instant now);

    /** Removes one of the account's passkeys; false when it has none with that id. */
    boolean remove(UserId userId, String credentialId);

    /** Removes every passkey of the account; how many there were. */
    int removeAll(UserId userId);

    /** Records a challenge as answered; false when it was answered already. */
    boolean useChallenge(String hash, Instant expiresAt);
}
