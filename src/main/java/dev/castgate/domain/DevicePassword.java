package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/** A per-device broadcast credential; the password is kept only as its SHA-256. */
public record DevicePassword(String userName, UserId userId, String deviceName, TokenHash passwordHash,
                             Instant validFrom, Optional<Instant> validUntil, Instant createdAt) {
    /** Whether it may be used at {@code now}: from valid_from (inclusive) until valid_until (exclusive). */
    public boolean validAt(Instant now) {
        return !now.isBefore(validFrom) && validUntil.map(now::isBefore).orElse(true);
    }
}
