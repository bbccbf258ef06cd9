package dev.castgate.store.jdbc;

import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.UserId;
import dev.castgate.store.AuditStore;
import dev.castgate.store.StoreObserver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

record JdbcAuditStore(HandleSource db, Supplier<StoreObserver> observer) implements AuditStore {
    @Override
    public void record(AuditEvent e) {
        db.run(h -> h.createUpdate("INSERT INTO audit_events (id, occurred_at, event_type, outcome, user_id, client_id, address, detail) "
                        + "VALUES (:id, :at, :type, :outcome, :userId, :clientId, :address, :detail)")
                .bindMethods(e)
                // Cut to their columns' widths: an address or a detail comes from outside.
                .bind("address", e.address().map(a -> a.length() > 64 ? a.substring(0, 64) : a).orElse(null))
                .bind("detail", e.detail().map(d -> d.length() > 500 ? d.substring(0, 500) : d).orElse(null))
                .execute());
        observer.get().audited(e);
    }

    @Override
    public List<AuditEvent> list(Instant since, int limit) {
        return db.list(AuditEvent.class, "SELECT * FROM audit_events WHERE occurred_at >= :since ORDER BY occurred_at, id LIMIT :limit",
                Map.of("since", since, "limit", limit));
    }

    @Override
    public List<AuditEvent> latest(Instant since, int limit) {
        return db.list(AuditEvent.class, "SELECT * FROM audit_events WHERE occurred_at >= :since ORDER BY occurred_at DESC, id DESC LIMIT :limit",
                Map.of("since", since, "limit", limit));
    }

    @Override
    public int anonymise(UserId userId, UserId pseudonym) {
        return db.update("UPDATE audit_events SET user_id = :pseudonym, address = NULL, detail = NULL WHERE user_id = :user",
                Map.of("pseudonym", pseudonym, "user", userId));
    }
}
