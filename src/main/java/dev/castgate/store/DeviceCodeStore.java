package dev.castgate.store;

import dev.castgate.domain.GrantId;
import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/** Device authorization requests (RFC 8628), by the hash of the device code or of the user code. */
public interface DeviceCodeStore {
    /** Stores a new pending request, only while its client exists. */
    Insertion insert(DeviceAuthorization request);

    /** What {@link #insert} did. */
    enum Insertion {
        INSERTED,
        /** The device or the user code's hash is stored already: the caller draws new codes. */
        CODE_TAKEN,
        /** The client was removed while a node still had it cached. */
        CLIENT_GONE
    }

    Optional<DeviceAuthorization> find(TokenHash hash);

    /** The request a user code names, if it is pending and not expired. */
    Optional<DeviceAuthorization> findPendingByUserCode(TokenHash userCodeHash, Instant now);

    /**
     * Records the person's approval in one statement, only while the request is pending and
     * unexpired; false otherwise (decided meanwhile, or expired).
     */
    boolean approve(TokenHash userCodeHash, UserId userId, GrantId grantId, Instant authTime, Instant now);

    /** Records a denial in one statement, only while pending and unexpired. */
    boolean deny(TokenHash userCodeHash, Instant now);

    /**
     * RFC 8628 §3.5: records a poll when the device waited its interval, in one statement. When it
     * polled too soon, its interval grows by {@code penaltySeconds} and false is returned.
     */
    boolean poll(TokenHash hash, Instant now, int penaltySeconds);

    /** Marks an approved, unexpired request issued in one statement; false if it was issued already (or is not approved). */
    boolean markIssued(TokenHash hash, Instant now);
}
