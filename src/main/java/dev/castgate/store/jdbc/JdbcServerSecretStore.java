package dev.castgate.store.jdbc;

import dev.castgate.store.ServerSecretStore;
import java.time.Instant;

final class JdbcServerSecretStore implements ServerSecretStore {
    private final HandleSource db;

    JdbcServerSecretStore(HandleSource db) { this.db = db; }

    @Override
    public String findOrCreate(String name, String candidate, Instant now) {
        // ON CONFLICT DO NOTHING (SQLite 3.24+, PostgreSQL 9.5+): a node that loses the race reads the winner's.
        db.run(h -> h.createUpdate("INSERT INTO server_secrets (name, secret, created_at) VALUES (:name, :secret, :at) "
                        + "ON CONFLICT (name) DO NOTHING")
                .bind("name", name).bind("secret", candidate).bind("at", now).execute());
        return db.with(h -> h.createQuery("SELECT secret FROM server_secrets WHERE name = :name")
                .bind("name", name).mapTo(String.class).one());
    }
}
