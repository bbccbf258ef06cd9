package dev.castgate.store.jdbc;

import dev.castgate.domain.OutboxMail;
import dev.castgate.store.MailOutboxStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outbox. A claim is one conditional UPDATE, the same on SQLite and PostgreSQL: of several
 * nodes that read the same due row, the one whose UPDATE changes it holds it; the others move on.
 * That does what {@code SELECT ... FOR UPDATE SKIP LOCKED} would on PostgreSQL without holding a
 * transaction open across the SMTP conversation, and works on SQLite, which has neither.
 */
record JdbcMailOutboxStore(HandleSource db) implements MailOutboxStore {
    private static final String COLUMNS = "id, user_id, kind, recipient, language, link_id, detail, created_at, give_up_at, "
            + "next_attempt_at, attempts";
    private static final String NOT_HELD = "done_at IS NULL AND next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until <= :now)";

    @Override
    public void insert(OutboxMail m) {
        db.run(h -> h.createUpdate("INSERT INTO mail_outbox (" + COLUMNS + ") VALUES (:id, :userId, :kind, :recipient, :language, "
                        + ":linkId, :detail, :createdAt, :giveUpAt, :nextAttemptAt, :attempts)")
                .bind("id", m.id()).bind("userId", m.userId()).bind("kind", m.kind()).bind("recipient", m.recipient())
                .bind("language", m.language()).bind("linkId", m.linkId().orElse(null)).bind("detail", m.detail().orElse(null))
                .bind("createdAt", m.createdAt()).bind("giveUpAt", m.giveUpAt()).bind("nextAttemptAt", m.nextAttemptAt())
                .bind("attempts", m.attempts())
                .execute());
    }

    @Override
    public List<OutboxMail> due(Instant now, int limit) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM mail_outbox WHERE " + NOT_HELD
                        + " ORDER BY next_attempt_at, id LIMIT :limit")
                .bind("now", now).bind("limit", limit).mapTo(OutboxMail.class).list());
    }

    @Override
    public boolean claim(String id, String worker, Instant now, Instant leaseEnd) {
        return db.update("UPDATE mail_outbox SET claimed_by = :worker, claimed_until = :lease, attempts = attempts + 1 "
                + "WHERE id = :id AND " + NOT_HELD, Map.of("worker", worker, "lease", leaseEnd, "id", id, "now", now)) == 1;
    }

    @Override
    public void finish(String id, OutboxMail.Outcome outcome, Instant at) {
        // Whoever holds it now: a mail sent by a node whose lease ran out is not sent again.
        db.update("UPDATE mail_outbox SET outcome = :outcome, done_at = :at, claimed_by = NULL, claimed_until = NULL "
                + "WHERE id = :id AND done_at IS NULL", Map.of("outcome", outcome.column(), "at", at, "id", id));
    }

    @Override
    public void retryAt(String id, String worker, Instant next, String error) {
        db.update("UPDATE mail_outbox SET next_attempt_at = :next, last_error = :error, claimed_by = NULL, claimed_until = NULL "
                + "WHERE id = :id AND claimed_by = :worker AND done_at IS NULL",
                Map.of("next", next, "error", error.length() > 500 ? error.substring(0, 500) : error, "id", id, "worker", worker));
    }
}
