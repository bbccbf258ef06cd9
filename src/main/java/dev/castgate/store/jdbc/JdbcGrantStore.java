package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;
import static dev.castgate.store.jdbc.SqlRows.optionalInstant;
import static dev.castgate.store.jdbc.SqlRows.optionalString;

import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.Grant;
import dev.castgate.domain.Scope;
import dev.castgate.store.GrantStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

final class JdbcGrantStore implements GrantStore {
    private final HandleSource db;

    JdbcGrantStore(HandleSource db) { this.db = db; }

    @Override
    public boolean insert(Grant g) {
        return db.with(h -> insertAll(h, List.of(g))[0] == 1);
    }

    /**
     * Stores grants in one batch, each guarded by its client's existence: a removed client may
     * still be in ClientLookup's cache. The counts say which were stored (1) and which not (0).
     */
    static int[] insertAll(Handle h, List<Grant> grants) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO grants (id, user_id, client_id, scope, device_name, auth_time, created_at, last_used_at) "
                + "SELECT :id, :user, :client, :scope, :device, :auth, :created, :created "
                + "WHERE EXISTS (SELECT 1 FROM clients WHERE id = :client)");
        for (Grant g : grants) {
            batch.bind("id", g.id())
                    .bind("user", g.userId().orElse(null))
                    .bind("client", g.clientId())
                    .bind("scope", g.scope().wireValue())
                    .bind("device", g.deviceName().orElse(null))
                    .bind("auth", g.authTime().toEpochMilli())
                    .bind("created", g.createdAt().toEpochMilli())
                    .add();
        }
        return batch.execute();
    }

    @Override
    public Optional<Grant> find(String grantId) {
        return db.with(h -> h.createQuery("SELECT id, user_id, client_id, scope, device_name, auth_time, created_at, revoked_at FROM grants WHERE id = :id")
                .bind("id", grantId)
                .map((rs, ctx) -> new Grant(rs.getString("id"), optionalString(rs, "user_id"), rs.getString("client_id"),
                        Scope.parseOrNull(rs.getString("scope")), optionalString(rs, "device_name"),
                        instant(rs, "auth_time"), instant(rs, "created_at"), optionalInstant(rs, "revoked_at")))
                .findOne());
    }

    @Override
    public boolean revoke(String grantId, Instant at) {
        return db.with(h -> h.createUpdate("UPDATE grants SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("at", at.toEpochMilli()).bind("id", grantId).execute()) == 1;
    }

    /** Stamps when grants last issued tokens, for the account page's order; one batch. */
    static void markUsed(Handle h, List<String> grantIds, List<Instant> at) {
        PreparedBatch batch = h.prepareBatch("UPDATE grants SET last_used_at = :at WHERE id = :id");
        for (int i = 0; i < grantIds.size(); i++) batch.bind("at", at.get(i).toEpochMilli()).bind("id", grantIds.get(i)).add();
        batch.execute();
    }

    @Override
    public List<ConnectedApp> listLive(String userId, Instant now) {
        return db.with(h -> h.createQuery("SELECT g.id, g.client_id, c.name AS client_name, g.device_name, g.scope, g.created_at, g.last_used_at "
                        + "FROM grants g JOIN clients c ON c.id = g.client_id "
                        + "WHERE g.user_id = :user AND g.revoked_at IS NULL AND ("
                        + "EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = g.id AND r.revoked_at IS NULL AND r.used_at IS NULL AND r.expires_at > :now) "
                        + "OR EXISTS (SELECT 1 FROM access_tokens a WHERE a.grant_id = g.id AND a.revoked_at IS NULL AND a.expires_at > :now) "
                        + "OR EXISTS (SELECT 1 FROM authorization_codes k WHERE k.grant_id = g.id AND k.consumed_at IS NULL AND k.expires_at > :now)) "
                        + "ORDER BY g.last_used_at DESC, g.id")
                .bind("user", userId).bind("now", now.toEpochMilli())
                .map((rs, ctx) -> new ConnectedApp(rs.getString("id"), rs.getString("client_id"), rs.getString("client_name"),
                        optionalString(rs, "device_name"), Scope.parseOrNull(rs.getString("scope")),
                        instant(rs, "created_at"), instant(rs, "last_used_at")))
                .list());
    }
}
