package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;

import dev.castgate.domain.SigningKey;
import dev.castgate.store.SigningKeyStore;
import java.util.List;

final class JdbcSigningKeyStore implements SigningKeyStore {
    private final HandleSource db;

    JdbcSigningKeyStore(HandleSource db) { this.db = db; }

    @Override
    public List<SigningKey> list() {
        return db.with(h -> h.createQuery("SELECT kid, algorithm, jwk, created_at FROM signing_keys ORDER BY created_at, kid")
                .map((rs, ctx) -> new SigningKey(rs.getString("kid"), rs.getString("algorithm"), rs.getString("jwk"), instant(rs, "created_at")))
                .list());
    }

    @Override
    public void insert(SigningKey key) {
        db.run(h -> h.createUpdate("INSERT INTO signing_keys (kid, algorithm, jwk, created_at) VALUES (:kid, :alg, :jwk, :created)")
                .bind("kid", key.kid()).bind("alg", key.algorithm()).bind("jwk", key.jwkJson())
                .bind("created", key.createdAt().toEpochMilli()).execute());
    }
}
