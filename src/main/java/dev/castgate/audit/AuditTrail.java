package dev.castgate.audit;

import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes audit events stamped with an id and the time. Callers add what they know and record the
 * event through the stores they already use, so an event commits with the change it describes.
 */
public record AuditTrail(RandomTokens random, Clock clock) {
    /**
     * One sequence for the whole process, so every trail in it (server, tool, fixtures) orders
     * same-millisecond events alike; the only static state Castgate keeps, and it is append-only.
     */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    public AuditEvent success(AuditEvent.Type type) { return event(type, AuditEvent.Outcome.SUCCESS); }

    public AuditEvent failure(AuditEvent.Type type) { return event(type, AuditEvent.Outcome.FAILURE); }

    /**
     * Ids sort in the order events happened: the time, then this process's sequence number for
     * events in the same millisecond, then randomness so nodes never collide.
     */
    private AuditEvent event(AuditEvent.Type type, AuditEvent.Outcome outcome) {
        Instant at = clock.instant();
        String id = String.format("%013x%06x", at.toEpochMilli(), SEQUENCE.getAndIncrement() & 0xffffff)
                + random.hex40().substring(0, 21);
        return AuditEvent.of(id, at, type, outcome);
    }
}
