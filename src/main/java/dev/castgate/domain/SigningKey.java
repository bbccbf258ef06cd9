package dev.castgate.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A signing key's row, without its key material: its algorithm's generation (0, 1, ... as keys
 * rotate), when it was made (and published), when it starts signing, and when it was retired
 * (no longer published, its key material deleted).
 */
public record SigningKey(String kid, SigningAlgorithm algorithm, int generation, Instant createdAt, Instant activatesAt,
                         Optional<Instant> retiredAt) {
    public boolean retired() { return retiredAt.isPresent(); }

    /** Whether it ever signed, or will: it activated before it was retired, or is not retired. */
    public boolean signedBefore(Instant now) {
        return !activatesAt.isAfter(now) && retiredAt.map(activatesAt::isBefore).orElse(true);
    }
}
