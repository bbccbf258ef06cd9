package dev.castgate.store.jdbc;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.Scope;
import dev.castgate.domain.UserId;
import dev.castgate.store.ConsentStore;
import dev.castgate.store.GuardedWrite;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

record JdbcConsentStore(HandleSource db) implements ConsentStore {
    @Override
    public Optional<Scope> find(UserId userId, ClientId clientId) {
        return db.findOne(Scope.class, "SELECT scope FROM consents WHERE user_id = :user AND client_id = :client",
                Map.of("user", userId, "client", clientId));
    }

    @Override
    public GuardedWrite remember(UserId userId, ClientId clientId, Scope scope, Instant at) {
        // ON CONFLICT ... DO UPDATE is spelled alike by SQLite (3.24+) and PostgreSQL (9.5+), and
        // unlike delete-then-insert it cannot fail when two tabs allow the same client at once.
        // The insert is guarded by the client's existence: a removed client may still be in
        // ClientLookup's cache. (SQLite needs a WHERE for INSERT ... SELECT ... ON CONFLICT.)
        return db.update("INSERT INTO consents (user_id, client_id, scope, granted_at) "
                        + "SELECT :user, :client, :scope, :at WHERE EXISTS (SELECT 1 FROM clients WHERE id = :client) "
                        + "ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at",
                        Map.of("user", userId, "client", clientId, "scope", scope, "at", at)) == 1 ? GuardedWrite.STORED : GuardedWrite.CLIENT_GONE;
    }

    @Override
    public void forget(UserId userId, ClientId clientId) {
        db.update("DELETE FROM consents WHERE user_id = :user AND client_id = :client",
                Map.of("user", userId, "client", clientId));
    }

    @Override
    public int forgetAll(UserId userId) {
        return db.update("DELETE FROM consents WHERE user_id = :user", Map.of("user", userId));
    }
}
