package dev.castgate.store.jdbc;

import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.SecondFactorStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

record JdbcSecondFactorStore(HandleSource db) implements SecondFactorStore {
    @Override
    public Optional<TotpCredential> find(UserId userId) {
        return db.with(h -> h.createQuery("SELECT secret, created_at, confirmed_at, last_step FROM totp_credentials WHERE user_id = :user")
                .bind("user", userId)
                .map((rs, ctx) -> {
                    long confirmedAt = rs.getLong("confirmed_at");
                    Optional<Instant> confirmed = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(confirmedAt));
                    long lastStep = rs.getLong("last_step");
                    Optional<Long> last = rs.wasNull() ? Optional.empty() : Optional.of(lastStep);
                    return new TotpCredential(userId, rs.getString("secret"), Instant.ofEpochMilli(rs.getLong("created_at")), confirmed, last);
                })
                .findOne());
    }

    @Override
    public boolean begin(UserId userId, String secret, Instant now) {
        // One statement on both databases: a confirmed secret is never replaced.
        return db.update("INSERT INTO totp_credentials (user_id, secret, created_at) VALUES (:user, :secret, :now) "
                + "ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at "
                + "WHERE totp_credentials.confirmed_at IS NULL", Map.of("user", userId, "secret", secret, "now", now)) == 1;
    }

    @Override
    public boolean confirm(UserId userId, String secret, long step, Instant now) {
        return db.update("UPDATE totp_credentials SET confirmed_at = :now, last_step = :step "
                + "WHERE user_id = :user AND secret = :secret AND confirmed_at IS NULL",
                Map.of("now", now, "step", step, "user", userId, "secret", secret)) == 1;
    }

    @Override
    public boolean useStep(UserId userId, long step) {
        return db.update("UPDATE totp_credentials SET last_step = :step WHERE user_id = :user AND confirmed_at IS NOT NULL "
                + "AND (last_step IS NULL OR last_step < :step)", Map.of("step", step, "user", userId)) == 1;
    }

    @Override
    public boolean remove(UserId userId) {
        db.update("DELETE FROM recovery_codes WHERE user_id = :user", Map.of("user", userId));
        return db.update("DELETE FROM totp_credentials WHERE user_id = :user AND confirmed_at IS NOT NULL", Map.of("user", userId)) == 1;
    }

    @Override
    public void replaceRecoveryCodes(UserId userId, List<TokenHash> hashes, Instant now) {
        db.run(h -> {
            h.createUpdate("DELETE FROM recovery_codes WHERE user_id = :user").bind("user", userId).execute();
            var batch = h.prepareBatch("INSERT INTO recovery_codes (user_id, hash, created_at) VALUES (:user, :hash, :now)");
            for (TokenHash hash : hashes) batch.bind("user", userId).bind("hash", hash).bind("now", now).add();
            batch.execute();
        });
    }

    @Override
    public boolean useRecoveryCode(UserId userId, TokenHash hash, Instant now) {
        return db.update("UPDATE recovery_codes SET used_at = :now WHERE user_id = :user AND hash = :hash AND used_at IS NULL",
                Map.of("now", now, "user", userId, "hash", hash)) == 1;
    }

    @Override
    public int unusedRecoveryCodes(UserId userId) {
        return db.one(Integer.class, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = :user AND used_at IS NULL",
                Map.of("user", userId));
    }
}
