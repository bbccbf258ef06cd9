package dev.castgate.store.jdbc;

import dev.castgate.store.ServerSecretStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

record JdbcServerSecretStore(HandleSource db) implements ServerSecretStore {
    private static final String SELECT = "SELECT secret FROM server_secrets WHERE name = :name";

    @Override
    public String findOrCreate(String name, Supplier<String> candidate, Instant now) {
        // Every start asks for each secret, and only the first finds none: a read, not a write.
        Optional<String> stored = db.findOne(String.class, SELECT, Map.of("name", name));
        if (stored.isPresent()) return stored.get();
        // ON CONFLICT DO NOTHING (SQLite 3.24+, PostgreSQL 9.5+): a node that loses the race reads the winner's.
        db.update("INSERT INTO server_secrets (name, secret, created_at) VALUES (:name, :secret, :at) "
                        + "ON CONFLICT (name) DO NOTHING", Map.of("name", name, "secret", candidate.get(), "at", now));
        return db.one(String.class, SELECT, Map.of("name", name));
    }
}
