package dev.castgate.store.jdbc;

import dev.castgate.domain.SigningKey;
import dev.castgate.store.SigningKeyStore;
import java.util.List;
import java.util.Map;

record JdbcSigningKeyStore(HandleSource db) implements SigningKeyStore {
    @Override
    public List<SigningKey> list() {
        return db.list(SigningKey.class, "SELECT kid, algorithm, jwk, created_at FROM signing_keys ORDER BY created_at, kid",
                Map.of());
    }

    @Override
    public void insert(SigningKey key) {
        db.run(h -> h.createUpdate("INSERT INTO signing_keys (kid, algorithm, jwk, created_at) VALUES (:kid, :algorithm, :jwkJson, :createdAt)")
                .bindMethods(key).execute());
    }
}
