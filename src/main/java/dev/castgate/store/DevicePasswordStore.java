package dev.castgate.store;

import dev.castgate.domain.DevicePassword;
import dev.castgate.domain.UserId;
import java.util.List;
import java.util.Optional;

/** Device passwords for broadcasting, by their generated user name. */
public interface DevicePasswordStore {
    void insert(DevicePassword password);

    Optional<DevicePassword> find(String userName);

    List<DevicePassword> findByUser(UserId userId);

    /** Deletes the user's device password; false when that user has none by this name. */
    boolean delete(UserId userId, String userName);
}
