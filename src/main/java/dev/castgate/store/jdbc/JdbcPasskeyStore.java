package dev.castgate.store.jdbc;

import dev.castgate.domain.Passkey;
import dev.castgate.domain.UserId;
import dev.castgate.store.PasskeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

record JdbcPasskeyStore(HandleSource db) implements PasskeyStore {
    private static final String COLUMNS = "credential_id, user_id, public_key, sign_count, transports, name, created_at, last_used_at";

    @Override
    public Optional<Passkey> find(String credentialId) {
        return db.findOne(Passkey.class, "SELECT " + COLUMNS + " FROM passkeys WHERE credential_id = :id", Map.of("id", credentialId));
    }

    @Override
    public List<Passkey> list(UserId userId) {
        return db.list(Passkey.class, "SELECT " + COLUMNS + " FROM passkeys WHERE user_id = :user ORDER BY created_at, credential_id",
                Map.of("user", userId));
    }

    @Override
    public int count(UserId userId) {
        return db.one(Integer.class, "SELECT COUNT(*) FROM passkeys WHERE user_id = :user", Map.of("user", userId));
    }

    @Override
    public boolean insert(Passkey p) {
        // One statement on both databases: a credential id registered before (by anyone) is not replaced.
        return db.update("INSERT INTO passkeys (credential_id, user_id, public_key, sign_count, transports, name, created_at) "
                + "VALUES (:id, :user, :key, :count, :transports, :name, :created) ON CONFLICT (credential_id) DO NOTHING",
                Map.of("id", p.credentialId(), "user", p.userId(), "key", p.publicKey(), "count", p.signCount(),
                        "transports", p.transports(), "name", p.name(), "created", p.createdAt())) == 1;
    }

    @Override
    public boolean recordUse(String credentialId, long expectedCount, long newCount, Instant now) {
        return db.update("UPDATE passkeys SET sign_count = :count, last_used_at = :now WHERE credential_id = :id AND sign_count = :expected",
                Map.of("count", newCount, "now", now, "id", credentialId, "expected", expectedCount)) == 1;
    }

    @Override
    public boolean remove(UserId userId, String credentialId) {
        return db.update("DELETE FROM passkeys WHERE user_id = :user AND credential_id = :id", Map.of("user", userId, "id", credentialId)) == 1;
    }

    @Override
    public int removeAll(UserId userId) {
        return db.update("DELETE FROM passkeys WHERE user_id = :user", Map.of("user", userId));
    }

    @Override
    public boolean useChallenge(String hash, Instant expiresAt) {
        return db.update("INSERT INTO passkey_challenges_used (hash, expires_at) VALUES (:hash, :expires) ON CONFLICT (hash) DO NOTHING",
                Map.of("hash", hash, "expires", expiresAt)) == 1;
    }
}
