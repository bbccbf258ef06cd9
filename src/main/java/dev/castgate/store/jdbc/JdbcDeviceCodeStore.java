package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;
import static dev.castgate.store.jdbc.SqlRows.optionalInstant;
import static dev.castgate.store.jdbc.SqlRows.optionalString;

import dev.castgate.domain.DeviceAuthorization;
import dev.castgate.domain.Scope;
import dev.castgate.store.DeviceCodeStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Every state change is one conditional UPDATE, so two nodes never both approve, deny or issue. */
final class JdbcDeviceCodeStore implements DeviceCodeStore {
    private static final String PENDING = DeviceAuthorization.Status.PENDING.column();

    private final HandleSource db;

    JdbcDeviceCodeStore(HandleSource db) { this.db = db; }

    @Override
    public boolean insert(DeviceAuthorization d) {
        // Guarded by the client's existence (see JdbcGrantStore.insert); a taken hash inserts nothing.
        return db.with(h -> h.createUpdate("INSERT INTO device_codes (hash, user_code_hash, client_id, scope, device_name, status, "
                        + "interval_seconds, created_at, expires_at) "
                        + "SELECT :hash, :user_code, :client, :scope, :device, :status, :interval, :created, :expires "
                        + "WHERE EXISTS (SELECT 1 FROM clients WHERE id = :client) ON CONFLICT DO NOTHING")
                .bind("hash", d.hash())
                .bind("user_code", d.userCodeHash())
                .bind("client", d.clientId())
                .bind("scope", d.scope().wireValue())
                .bind("device", d.deviceName().orElse(null))
                .bind("status", d.status().column())
                .bind("interval", d.intervalSeconds())
                .bind("created", d.createdAt().toEpochMilli())
                .bind("expires", d.expiresAt().toEpochMilli())
                .execute()) == 1;
    }

    @Override
    public Optional<DeviceAuthorization> find(String hash) {
        return db.with(h -> h.createQuery("SELECT * FROM device_codes WHERE hash = :hash")
                .bind("hash", hash).map((rs, ctx) -> row(rs)).findOne());
    }

    @Override
    public Optional<DeviceAuthorization> findPendingByUserCode(String userCodeHash, Instant now) {
        return db.with(h -> h.createQuery("SELECT * FROM device_codes WHERE user_code_hash = :code AND status = :pending AND expires_at > :now")
                .bind("code", userCodeHash).bind("pending", PENDING).bind("now", now.toEpochMilli())
                .map((rs, ctx) -> row(rs)).findOne());
    }

    @Override
    public boolean approve(String userCodeHash, String userId, String grantId, Instant authTime, Instant now) {
        return db.with(h -> h.createUpdate("UPDATE device_codes SET status = :approved, user_id = :user, grant_id = :grant, "
                        + "auth_time = :auth, decided_at = :now "
                        + "WHERE user_code_hash = :code AND status = :pending AND expires_at > :now")
                .bind("approved", DeviceAuthorization.Status.APPROVED.column())
                .bind("user", userId).bind("grant", grantId).bind("auth", authTime.toEpochMilli())
                .bind("now", now.toEpochMilli()).bind("code", userCodeHash).bind("pending", PENDING)
                .execute()) == 1;
    }

    @Override
    public boolean deny(String userCodeHash, Instant now) {
        return db.with(h -> h.createUpdate("UPDATE device_codes SET status = :denied, decided_at = :now "
                        + "WHERE user_code_hash = :code AND status = :pending AND expires_at > :now")
                .bind("denied", DeviceAuthorization.Status.DENIED.column())
                .bind("now", now.toEpochMilli()).bind("code", userCodeHash).bind("pending", PENDING)
                .execute()) == 1;
    }

    @Override
    public boolean poll(String hash, Instant now, int penaltySeconds) {
        return db.with(h -> {
            int inTime = h.createUpdate("UPDATE device_codes SET last_polled_at = :now WHERE hash = :hash "
                            + "AND (last_polled_at IS NULL OR last_polled_at + interval_seconds * 1000 <= :now)")
                    .bind("now", now.toEpochMilli()).bind("hash", hash).execute();
            if (inTime == 1) return true;
            h.createUpdate("UPDATE device_codes SET interval_seconds = interval_seconds + :penalty, last_polled_at = :now WHERE hash = :hash")
                    .bind("penalty", penaltySeconds).bind("now", now.toEpochMilli()).bind("hash", hash).execute();
            return false;
        });
    }

    @Override
    public boolean markIssued(String hash, Instant now) {
        return db.with(h -> h.createUpdate("UPDATE device_codes SET status = :issued, issued_at = :now "
                        + "WHERE hash = :hash AND status = :approved AND expires_at > :now")
                .bind("issued", DeviceAuthorization.Status.ISSUED.column())
                .bind("approved", DeviceAuthorization.Status.APPROVED.column())
                .bind("now", now.toEpochMilli()).bind("hash", hash)
                .execute()) == 1;
    }

    private static DeviceAuthorization row(ResultSet rs) throws SQLException {
        return new DeviceAuthorization(rs.getString("hash"), rs.getString("user_code_hash"), rs.getString("client_id"),
                Scope.parseOrNull(rs.getString("scope")), optionalString(rs, "device_name"),
                DeviceAuthorization.Status.ofColumn(rs.getString("status")), optionalString(rs, "user_id"),
                optionalString(rs, "grant_id"), optionalInstant(rs, "auth_time"), rs.getInt("interval_seconds"),
                optionalInstant(rs, "last_polled_at"), instant(rs, "created_at"), instant(rs, "expires_at"));
    }
}
