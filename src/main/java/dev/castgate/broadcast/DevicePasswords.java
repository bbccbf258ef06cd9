package dev.castgate.broadcast;

import dev.castgate.audit.AuditTrail;
import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AuditEvent;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.DevicePassword;
import dev.castgate.domain.UserId;
import dev.castgate.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Per-device broadcast credentials: a generated user name and password, the password shown once
 * and kept as its SHA-256 (it is 160 random bits, so it needs no slow hash).
 */
public record DevicePasswords(Transactions transactions, RandomTokens random, AuditTrail audit, Clock clock) {
    /** A new device password with the password in clear, to show once. */
    public record Created(DevicePassword devicePassword, String password) {}

    public Created create(UserId userId, ClientId clientId, String deviceName, Instant validFrom, Optional<Instant> validUntil) {
        String userName = "dp" + random.hex40().substring(0, 18);
        String password = random.hex40();
        DevicePassword record = new DevicePassword(userName, userId, deviceName, Hashes.tokenHash(password), validFrom, validUntil,
                clock.instant());
        transactions.inTransaction(tx -> {
            tx.devicePasswords().insert(record);
            tx.audit().record(audit.success(AuditEvent.Type.DEVICE_PASSWORD_CREATED).user(userId).client(clientId)
                    .detail("device password " + userName));
            return null;
        });
        return new Created(record, password);
    }

    /** Removes the user's device password; false when the user has none by that name. */
    public boolean remove(UserId userId, ClientId clientId, String userName) {
        return transactions.inTransaction(tx -> {
            boolean removed = tx.devicePasswords().delete(userId, userName);
            if (removed) {
                tx.audit().record(audit.success(AuditEvent.Type.DEVICE_PASSWORD_REMOVED).user(userId).client(clientId)
                        .detail("device password " + userName));
            }
            return removed;
        });
    }
}
