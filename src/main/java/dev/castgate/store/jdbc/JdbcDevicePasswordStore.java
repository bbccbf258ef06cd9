package dev.castgate.store.jdbc;

import dev.castgate.domain.DevicePassword;
import dev.castgate.domain.UserId;
import dev.castgate.store.DevicePasswordStore;
import java.util.List;
import java.util.Optional;

final class JdbcDevicePasswordStore implements DevicePasswordStore {
    private static final String COLUMNS = "user_name, user_id, device_name, password_hash, valid_from, valid_until, created_at";

    private final HandleSource db;

    JdbcDevicePasswordStore(HandleSource db) { this.db = db; }

    @Override
    public void insert(DevicePassword p) {
        db.run(h -> h.createUpdate("INSERT INTO device_passwords (" + COLUMNS + ") "
                        + "VALUES (:userName, :userId, :deviceName, :passwordHash, :validFrom, :validUntil, :createdAt)")
                .bindMethods(p).execute());
    }

    @Override
    public Optional<DevicePassword> find(String userName) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM device_passwords WHERE user_name = :n")
                .bind("n", userName).mapTo(DevicePassword.class).findOne());
    }

    @Override
    public List<DevicePassword> findByUser(UserId userId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM device_passwords WHERE user_id = :u ORDER BY created_at, user_name")
                .bind("u", userId).mapTo(DevicePassword.class).list());
    }

    @Override
    public boolean delete(UserId userId, String userName) {
        return db.with(h -> h.createUpdate("DELETE FROM device_passwords WHERE user_id = :u AND user_name = :n")
                .bind("u", userId).bind("n", userName).execute()) == 1;
    }
}
