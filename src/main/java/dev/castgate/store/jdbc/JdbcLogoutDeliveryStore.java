package dev.castgate.store.jdbc;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.LogoutDelivery;
import dev.castgate.domain.UserId;
import dev.castgate.store.LogoutDeliveryStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The logout token queue; claims are one conditional UPDATE, as in {@link JdbcMailOutboxStore}. */
record JdbcLogoutDeliveryStore(HandleSource db) implements LogoutDeliveryStore {
    private static final String COLUMNS = "id, client_id, user_id, sid, created_at, next_attempt_at, attempts";
    private static final String NOT_HELD = "done_at IS NULL AND next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until <= :now)";

    @Override
    public List<ClientId> clientsOfSession(String sid) {
        return db.with(h -> h.createQuery("SELECT DISTINCT c.id FROM grants g JOIN clients c ON c.id = g.client_id "
                        + "WHERE g.sid = :sid AND c.backchannel_logout_uri IS NOT NULL ORDER BY c.id")
                .bind("sid", sid).mapTo(String.class).map(ClientId::new).list());
    }

    @Override
    public List<String> sessionsOf(UserId userId) {
        return db.with(h -> h.createQuery("SELECT sid FROM sessions WHERE user_id = :user AND sid IS NOT NULL ORDER BY sid")
                .bind("user", userId.value()).mapTo(String.class).list());
    }

    @Override
    public void insert(LogoutDelivery d) {
        db.run(h -> h.createUpdate("INSERT INTO logout_deliveries (" + COLUMNS + ") VALUES (:id, :client, :user, :sid, :createdAt, "
                        + ":nextAttemptAt, :attempts)")
                .bind("id", d.id()).bind("client", d.clientId().value()).bind("user", d.userId().value()).bind("sid", d.sid().orElse(null))
                .bind("createdAt", d.createdAt()).bind("nextAttemptAt", d.nextAttemptAt()).bind("attempts", d.attempts())
                .execute());
    }

    @Override
    public List<LogoutDelivery> due(Instant now, int limit) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM logout_deliveries WHERE " + NOT_HELD
                        + " ORDER BY next_attempt_at, id LIMIT :limit")
                .bind("now", now).bind("limit", limit).mapTo(LogoutDelivery.class).list());
    }

    @Override
    public boolean claim(String id, String worker, Instant now, Instant leaseEnd) {
        return db.update("UPDATE logout_deliveries SET claimed_by = :worker, claimed_until = :lease, attempts = attempts + 1 "
                + "WHERE id = :id AND " + NOT_HELD, Map.of("worker", worker, "lease", leaseEnd, "id", id, "now", now)) == 1;
    }

    @Override
    public void finish(String id, String outcome, Instant at) {
        db.update("UPDATE logout_deliveries SET outcome = :outcome, done_at = :at, claimed_by = NULL, claimed_until = NULL "
                + "WHERE id = :id AND done_at IS NULL", Map.of("outcome", outcome, "at", at, "id", id));
    }

    @Override
    public void retryAt(String id, String worker, Instant next, String error) {
        db.update("UPDATE logout_deliveries SET next_attempt_at = :next, last_error = :error, claimed_by = NULL, claimed_until = NULL "
                + "WHERE id = :id AND claimed_by = :worker AND done_at IS NULL",
                Map.of("next", next, "error", error.length() > 500 ? error.substring(0, 500) : error, "id", id, "worker", worker));
    }
}
