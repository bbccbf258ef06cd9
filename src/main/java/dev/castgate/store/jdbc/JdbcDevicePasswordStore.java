package dev.castgate.store.jdbc;

import dev.castgate.domain.DevicePassword;
import dev.castgate.domain.UserId;
import dev.castgate.store.DevicePasswordStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

record JdbcDevicePasswordStore(HandleSource db) implements DevicePasswordStore {
    private static final String COLUMNS = "user_name, user_id, device_name, password_hash, valid_from, valid_until, created_at";

    @Override
    public void insert(DevicePassword p) {
        db.run(h -> h.createUpdate("INSERT INTO device_passwords (" + COLUMNS + ") "
                        + "VALUES (:userName, :userId, :deviceName, :passwordHash, :validFrom, :validUntil, :createdAt)")
                .bindMethods(p).execute());
    }

    @Override
    public Optional<DevicePassword> find(String userName) {
        return db.findOne(DevicePassword.class, "SELECT " + COLUMNS + " FROM device_passwords WHERE user_name = :n",
                Map.of("n", userName));
    }

    @Override
    public List<DevicePassword> findByUser(UserId userId) {
        return db.list(DevicePassword.class, "SELECT " + COLUMNS + " FROM device_passwords WHERE user_id = :u ORDER BY created_at, user_name",
                Map.of("u", userId));
    }

    @Override
    public boolean delete(UserId userId, String userName) {
        return db.update("DELETE FROM device_passwords WHERE user_id = :u AND user_name = :n",
                Map.of("u", userId, "n", userName)) == 1;
    }
}
