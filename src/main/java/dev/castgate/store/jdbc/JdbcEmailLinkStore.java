package dev.castgate.store.jdbc;

import dev.castgate.domain.EmailLink;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.EmailLinkStore;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.Update;

record JdbcEmailLinkStore(HandleSource db) implements EmailLinkStore {
    private static final String COLUMNS = "id, token_hash, user_id, purpose, email, return_to, created_at, expires_at, consumed_at";

    @Override
    public void insert(EmailLink link) {
        db.run(h -> h.createUpdate("INSERT INTO email_links (" + COLUMNS + ") VALUES (:id, :tokenHash, :userId, :purpose, :email, "
                        + ":returnTo, :createdAt, :expiresAt, NULL)")
                .bind("id", link.id()).bind("tokenHash", link.tokenHash()).bind("userId", link.userId())
                .bind("purpose", link.purpose()).bind("email", link.email().toLowerCase(Locale.ROOT))
                .bind("returnTo", link.returnTo().orElse(null)).bind("createdAt", link.createdAt()).bind("expiresAt", link.expiresAt())
                .execute());
    }

    @Override
    public Optional<EmailLink> find(String id) {
        return db.findOne(EmailLink.class, "SELECT " + COLUMNS + " FROM email_links WHERE id = :id", Map.of("id", id));
    }

    @Override
    public Optional<EmailLink> findByToken(TokenHash tokenHash) {
        return db.findOne(EmailLink.class, "SELECT " + COLUMNS + " FROM email_links WHERE token_hash = :hash", Map.of("hash", tokenHash));
    }

    @Override
    public boolean consume(TokenHash tokenHash, EmailLink.Purpose purpose, Instant now) {
        return db.update("UPDATE email_links SET consumed_at = :now WHERE token_hash = :hash AND purpose = :purpose "
                + "AND consumed_at IS NULL AND expires_at > :now", Map.of("now", now, "hash", tokenHash, "purpose", purpose)) == 1;
    }

    @Override
    public int deleteUnused(UserId userId, EmailLink.Purpose purpose, List<String> keep) {
        StringBuilder sql = new StringBuilder("DELETE FROM email_links WHERE user_id = :user AND purpose = :purpose AND consumed_at IS NULL");
        for (int i = 0; i < keep.size(); i++) sql.append(" AND email <> :keep").append(i);
        return db.with(h -> {
            Update update = h.createUpdate(sql.toString()).bind("user", userId).bind("purpose", purpose);
            for (int i = 0; i < keep.size(); i++) update.bind("keep" + i, keep.get(i).toLowerCase(Locale.ROOT));
            return update.execute();
        });
    }

    @Override
    public Optional<EmailLink> findPendingChange(UserId userId, String currentEmail, Instant now) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM email_links WHERE user_id = :user AND purpose = :purpose "
                        + "AND consumed_at IS NULL AND expires_at > :now AND email <> :current ORDER BY created_at DESC, id DESC")
                .bind("user", userId).bind("purpose", EmailLink.Purpose.VERIFY).bind("now", now)
                .bind("current", currentEmail.toLowerCase(Locale.ROOT))
                .mapTo(EmailLink.class).findFirst());
    }
}
