package dev.castgate.store.jdbc;

import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.DeviceAuthorization.Status;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.DeviceCodeStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Every state change is one conditional UPDATE, so two nodes never both approve, deny or issue. */
record JdbcDeviceCodeStore(HandleSource db) implements DeviceCodeStore {
    @Override
    public Insertion insert(DeviceAuthorization d) {
        // Guarded by the client's existence (see JdbcGrantStore.insert); a taken hash inserts nothing.
        return db.with(h -> {
            int inserted = h.createUpdate("INSERT INTO device_codes (hash, user_code_hash, client_id, scope, device_name, status, "
                            + "interval_seconds, created_at, expires_at) "
                            + "SELECT :hash, :userCodeHash, :clientId, :scope, :deviceName, :status, :intervalSeconds, :createdAt, :expiresAt "
                            + "WHERE EXISTS (SELECT 1 FROM clients WHERE id = :clientId) ON CONFLICT DO NOTHING")
                    .bindMethods(d)
                    .execute();
            if (inserted == 1) return Insertion.INSERTED;
            // The count cannot say which guard held the row back; only this rare path asks.
            boolean clientExists = h.createQuery("SELECT COUNT(*) FROM clients WHERE id = :id")
                    .bind("id", d.clientId()).mapTo(Integer.class).one() > 0;
            return clientExists ? Insertion.CODE_TAKEN : Insertion.CLIENT_GONE;
        });
    }

    @Override
    public Optional<DeviceAuthorization> find(TokenHash hash) {
        return db.findOne(DeviceAuthorization.class, "SELECT * FROM device_codes WHERE hash = :hash", Map.of("hash", hash));
    }

    @Override
    public Optional<DeviceAuthorization> findPendingByUserCode(TokenHash userCodeHash, Instant now) {
        return db.findOne(DeviceAuthorization.class, "SELECT * FROM device_codes WHERE user_code_hash = :code AND status = :pending AND expires_at > :now",
                Map.of("code", userCodeHash, "pending", Status.PENDING, "now", now));
    }

    @Override
    public boolean approve(TokenHash userCodeHash, UserId userId, GrantId grantId, Instant authTime, Instant now) {
        return db.update("UPDATE device_codes SET status = :approved, user_id = :user, grant_id = :grant, "
                        + "auth_time = :auth, decided_at = :now "
                        + "WHERE user_code_hash = :code AND status = :pending AND expires_at > :now",
                        Map.of("approved", Status.APPROVED, "user", userId, "grant", grantId, "auth", authTime, "now", now, "code", userCodeHash, "pending", Status.PENDING)) == 1;
    }

    @Override
    public boolean deny(TokenHash userCodeHash, Instant now) {
        return db.update("UPDATE device_codes SET status = :denied, decided_at = :now "
                        + "WHERE user_code_hash = :code AND status = :pending AND expires_at > :now",
                        Map.of("denied", Status.DENIED, "now", now, "code", userCodeHash, "pending", Status.PENDING)) == 1;
    }

    @Override
    public boolean poll(TokenHash hash, Instant now, int penaltySeconds) {
        return db.with(h -> {
            int inTime = h.createUpdate("UPDATE device_codes SET last_polled_at = :now WHERE hash = :hash "
                            + "AND (last_polled_at IS NULL OR last_polled_at + interval_seconds * 1000 <= :now)")
                    .bind("now", now).bind("hash", hash).execute();
            if (inTime == 1) return true;
            h.createUpdate("UPDATE device_codes SET interval_seconds = interval_seconds + :penalty, last_polled_at = :now WHERE hash = :hash")
                    .bind("penalty", penaltySeconds).bind("now", now).bind("hash", hash).execute();
            return false;
        });
    }

    @Override
    public boolean markIssued(TokenHash hash, Instant now) {
        return db.update("UPDATE device_codes SET status = :issued, issued_at = :now "
                        + "WHERE hash = :hash AND status = :approved AND expires_at > :now",
                        Map.of("issued", Status.ISSUED, "approved", Status.APPROVED, "now", now, "hash", hash)) == 1;
    }
}
