package dev.castgate.store;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.List;

/** The audit trail: append-only, but for the anonymisation of a removed account's events. */
public interface AuditStore {
    void record(AuditEvent event);

    /** Events at or after {@code since}, oldest first, at most {@code limit}. */
    List<AuditEvent> list(Instant since, int limit);

    /** The newest {@code limit} events at or after {@code since}, newest first: what an operator reading the trail asks for. */
    List<AuditEvent> latest(Instant since, int limit);

    /**
     * The one change to recorded events: when an account is removed, its events keep their time,
     * type, outcome and client, name {@code pseudonym} instead of the account, and lose their
     * address and detail, which may name or locate the person. Returns how many it changed.
     */
    int anonymise(UserId userId, UserId pseudonym);
}
