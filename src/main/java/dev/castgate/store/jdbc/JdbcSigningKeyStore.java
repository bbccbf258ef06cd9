package dev.castgate.store.jdbc;

import dev.castgate.domain.SigningKey;
import dev.castgate.store.SigningKeyStore;
import java.util.List;

final class JdbcSigningKeyStore implements SigningKeyStore {
    private final HandleSource db;

    JdbcSigningKeyStore(HandleSource db) { this.db = db; }

    @Override
    public List<SigningKey> list() {
        return db.with(h -> h.createQuery("SELECT kid, algorithm, jwk, created_at FROM signing_keys ORDER BY created_at, kid")
                .mapTo(SigningKey.class)
                .list());
    }

    @Override
    public void insert(SigningKey key) {
        db.run(h -> h.createUpdate("INSERT INTO signing_keys (kid, algorithm, jwk, created_at) VALUES (:kid, :algorithm, :jwkJson, :createdAt)")
                .bindMethods(key).execute());
    }
}
