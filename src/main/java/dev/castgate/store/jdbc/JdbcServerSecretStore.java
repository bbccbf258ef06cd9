package dev.castgate.store.jdbc;

import dev.castgate.store.ServerSecretStore;
import java.time.Instant;
import java.util.Map;

record JdbcServerSecretStore(HandleSource db) implements ServerSecretStore {
    @Override
    public String findOrCreate(String name, String candidate, Instant now) {
        // ON CONFLICT DO NOTHING (SQLite 3.24+, PostgreSQL 9.5+): a node that loses the race reads the winner's.
        db.update("INSERT INTO server_secrets (name, secret, created_at) VALUES (:name, :secret, :at) "
                        + "ON CONFLICT (name) DO NOTHING", Map.of("name", name, "secret", candidate, "at", now));
        return db.one(String.class, "SELECT secret FROM server_secrets WHERE name = :name", Map.of("name", name));
    }
}
