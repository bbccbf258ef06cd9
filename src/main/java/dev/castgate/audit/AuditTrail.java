package dev.castgate.audit;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import java.time.Clock;

/**
 * Makes audit events stamped with an id and the time. Callers add what they know and record the
 * event through the stores they already use, so an event commits with the change it describes.
 */
public final class AuditTrail {
    private final RandomTokens random;
    private final Clock clock;

    public AuditTrail(RandomTokens random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    public AuditEvent success(AuditEvent.Type type) {
        return AuditEvent.of(random.hex40(), clock.instant(), type, AuditEvent.Outcome.SUCCESS);
    }

    public AuditEvent failure(AuditEvent.Type type) {
        return AuditEvent.of(random.hex40(), clock.instant(), type, AuditEvent.Outcome.FAILURE);
    }
}
