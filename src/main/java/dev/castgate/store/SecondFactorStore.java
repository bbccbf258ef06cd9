package dev.castgate.store;

import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A person's second factor: their TOTP secret (as sealed for storage) and their recovery codes
 * (hashes only). Each use of a code is one conditional statement, so no code is accepted twice,
 * on any node.
 */
public interface SecondFactorStore {
    /** A stored TOTP secret; {@code confirmedAt} is empty while the set-up awaits its first code. */
    record TotpCredential(UserId userId, String secret, Instant createdAt, Optional<Instant> confirmedAt, Optional<Long> lastStep) {
        public boolean confirmed() { return confirmedAt.isPresent(); }
    }

    Optional<TotpCredential> find(UserId userId);

    /**
     * Stores a set-up awaiting its first code, replacing an earlier unconfirmed one; false, and
     * nothing changed, when the person has a confirmed secret already.
     */
    boolean begin(UserId userId, String secret, Instant now);

    /**
     * Confirms the set-up whose stored secret is {@code secret} (not one begun again since), with
     * the step of the code that confirmed it as the last used; false when there is no such set-up.
     */
    boolean confirm(UserId userId, String secret, long step, Instant now);

    /** Records {@code step} as the last used, if it comes after the last one; false for a code already used (or older). */
    boolean useStep(UserId userId, long step);

    /** Removes the secret and every recovery code; false when there was no confirmed secret. */
    boolean remove(UserId userId);

    /** Replaces the person's recovery codes by these. */
    void replaceRecoveryCodes(UserId userId, List<TokenHash> hashes, Instant now);

    /** Uses one recovery code up; false when it is not one of theirs, or was used. */
    boolean useRecoveryCode(UserId userId, TokenHash hash, Instant now);

    /** How many of the person's recovery codes are left. */
    int unusedRecoveryCodes(UserId userId);
}
