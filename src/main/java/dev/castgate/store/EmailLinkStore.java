package dev.castgate.store;

import dev.castgate.domain.EmailLink;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Links mailed for email verification and account recovery, by the hash of their token. Addresses are stored lower-case. */
public interface EmailLinkStore {
    void insert(EmailLink link);

    Optional<EmailLink> find(String id);

    Optional<EmailLink> findByToken(TokenHash tokenHash);

    /**
     * Uses the link up, in one conditional statement: false when it was used already, has
     * expired, is for another purpose or does not exist.
     */
    boolean consume(TokenHash tokenHash, EmailLink.Purpose purpose, Instant now);

    /** Deletes the user's unused links of the purpose, except those to the addresses in {@code keep}; answers how many. */
    int deleteUnused(UserId userId, EmailLink.Purpose purpose, List<String> keep);

    /**
     * The newest unused, unexpired verification link of the user to an address other than
     * {@code currentEmail}: an email change waiting for its confirmation.
     */
    Optional<EmailLink> findPendingChange(UserId userId, String currentEmail, Instant now);
}
