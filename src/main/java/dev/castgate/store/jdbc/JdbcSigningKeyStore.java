package dev.castgate.store.jdbc;

import dev.castgate.domain.SigningKey;
import dev.castgate.store.SigningKeyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

record JdbcSigningKeyStore(HandleSource db) implements SigningKeyStore {
    @Override
    public List<SigningKey> list() {
        return db.list(SigningKey.class, "SELECT kid, algorithm, generation, created_at, activates_at, retired_at FROM signing_keys "
                + "ORDER BY created_at, kid", Map.of());
    }

    @Override
    public Optional<String> findJwk(String kid) {
        return db.findOne(String.class, "SELECT jwk FROM signing_keys WHERE kid = :kid AND retired_at IS NULL", Map.of("kid", kid));
    }

    /** ON CONFLICT DO NOTHING is spelled alike by SQLite (3.24+) and PostgreSQL (9.5+); the conflict is the (algorithm, generation) index. */
    @Override
    public boolean insert(SigningKey key, String jwkJson) {
        Map<String, Object> params = new HashMap<>();
        params.put("kid", key.kid());
        params.put("algorithm", key.algorithm());
        params.put("jwk", jwkJson);
        params.put("generation", key.generation());
        params.put("createdAt", key.createdAt());
        params.put("activatesAt", key.activatesAt());
        return db.update("INSERT INTO signing_keys (kid, algorithm, jwk, generation, created_at, activates_at) "
                + "VALUES (:kid, :algorithm, :jwk, :generation, :createdAt, :activatesAt) ON CONFLICT DO NOTHING", params) == 1;
    }

    @Override
    public boolean retire(String kid, Instant at) {
        return db.update("UPDATE signing_keys SET retired_at = :at, jwk = '' WHERE kid = :kid AND retired_at IS NULL",
                Map.of("kid", kid, "at", at)) == 1;
    }

    @Override
    public boolean activateBy(String kid, Instant at) {
        return db.update("UPDATE signing_keys SET activates_at = :at WHERE kid = :kid AND activates_at > :at AND retired_at IS NULL",
                Map.of("kid", kid, "at", at)) == 1;
    }
}
