package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;
import static dev.castgate.store.jdbc.SqlRows.millis;
import static dev.castgate.store.jdbc.SqlRows.optionalInstant;

import dev.castgate.domain.DevicePassword;
import dev.castgate.store.DevicePasswordStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcDevicePasswordStore implements DevicePasswordStore {
    private static final String COLUMNS = "user_name, user_id, device_name, password_hash, valid_from, valid_until, created_at";

    private final HandleSource db;

    JdbcDevicePasswordStore(HandleSource db) { this.db = db; }

    @Override
    public void insert(DevicePassword p) {
        db.run(h -> h.createUpdate("INSERT INTO device_passwords (" + COLUMNS + ") VALUES (:name, :user, :device, :hash, :from, :until, :created)")
                .bind("name", p.userName()).bind("user", p.userId()).bind("device", p.deviceName()).bind("hash", p.passwordHash())
                .bind("from", p.validFrom().toEpochMilli()).bind("until", millis(p.validUntil()))
                .bind("created", p.createdAt().toEpochMilli()).execute());
    }

    @Override
    public Optional<DevicePassword> find(String userName) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM device_passwords WHERE user_name = :n")
                .bind("n", userName).map((rs, ctx) -> password(rs)).findOne());
    }

    @Override
    public List<DevicePassword> findByUser(String userId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM device_passwords WHERE user_id = :u ORDER BY created_at, user_name")
                .bind("u", userId).map((rs, ctx) -> password(rs)).list());
    }

    @Override
    public boolean delete(String userId, String userName) {
        return db.with(h -> h.createUpdate("DELETE FROM device_passwords WHERE user_id = :u AND user_name = :n")
                .bind("u", userId).bind("n", userName).execute()) == 1;
    }

    private static DevicePassword password(ResultSet rs) throws SQLException {
        return new DevicePassword(rs.getString("user_name"), rs.getString("user_id"), rs.getString("device_name"),
                rs.getString("password_hash"), instant(rs, "valid_from"), optionalInstant(rs, "valid_until"), instant(rs, "created_at"));
    }
}
