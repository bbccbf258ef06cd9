package dev.castgate.store;

import dev.castgate.domain.AuditEvent;
import java.time.Instant;
import java.util.List;

/** The audit trail: append-only. */
public interface AuditStore {
    void record(AuditEvent event);

    /** Events at or after {@code since}, oldest first, at most {@code limit}. */
    List<AuditEvent> list(Instant since, int limit);
}
