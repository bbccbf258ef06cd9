package dev.castgate.store.jdbc;

import dev.castgate.domain.Authentication;
import dev.castgate.domain.AuthenticationLevel;
import dev.castgate.domain.ConnectedApp;
import dev.castgate.domain.Grant;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.UserId;
import dev.castgate.store.GrantStore;
import dev.castgate.store.GuardedWrite;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.sql.Connection;

record JdbcGrantStore(HandleSource db) implements GrantStore {
    @Override
    public GuardedWrite insert(Grant g) {
        return db.with(h -> {
            if (insertAll(h.getConnection(), List.of(g))[0] == 1) return GuardedWrite.STORED;
            // Not stored: say why, on this rare path only.
            boolean clientExists = h.createQuery("SELECT COUNT(*) FROM clients WHERE id = :id").bind("id", g.clientId())
                    .mapTo(Integer.class).one() > 0;
            return clientExists ? GuardedWrite.ACCOUNT_DISABLED : GuardedWrite.CLIENT_GONE;
        });
    }

    /**
     * Stores grants in one batch, each guarded by its client's existence (a removed client may
     * still be in ClientLookup's cache) and by its account not being disabled (a sign-in or a
     * client-credentials request may have been checked just before the account was disabled).
     * The counts say which were stored (1) and which not (0).
     */
    static int[] insertAll(Connection c, List<Grant> grants) {
        return JdbcBatch.execute(c, "INSERT INTO grants (id, user_id, client_id, scope, device_name, auth_time, created_at, last_used_at, amr, acr, "
                + "claims_request, resources, sid) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM clients WHERE id = ?) "
                + "AND NOT EXISTS (SELECT 1 FROM users WHERE id = ? AND disabled_at IS NOT NULL)", grants, (st, g) -> {
                    st.setString(1, g.id().value());
                    st.setString(2, g.userId().isEmpty() ? null : g.userId().get().value());
                    st.setString(3, g.clientId().value());
                    st.setString(4, g.scope().wireValue());
                    st.setString(5, g.deviceName().orElse(null));
                    st.setLong(6, g.authTime().toEpochMilli());
                    st.setLong(7, g.createdAt().toEpochMilli());
                    st.setLong(8, g.createdAt().toEpochMilli());
                    st.setString(9, g.amr().map(Authentication::wireValue).orElse(null));
                    st.setString(10, g.acr().map(AuthenticationLevel::wireName).orElse(null));
                    st.setString(11, g.claims().isEmpty() ? null : g.claims().storedForm());
                    st.setString(12, g.resources().storedForm());
                    st.setString(13, g.sid().orElse(null));
                    st.setString(14, g.clientId().value());
                    st.setString(15, g.userId().isEmpty() ? null : g.userId().get().value());
                });
    }

    @Override
    public Optional<Grant> find(GrantId grantId) {
        return db.findOne(Grant.class, "SELECT id, user_id, client_id, scope, device_name, auth_time, created_at, revoked_at, amr, acr, "
                + "claims_request AS claims, resources, sid FROM grants WHERE id = :id",
                Map.of("id", grantId));
    }

    @Override
    public boolean revoke(GrantId grantId, Instant at) {
        return db.update("UPDATE grants SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL",
                Map.of("at", at, "id", grantId)) == 1;
    }

    @Override
    public int revokeAll(UserId userId, Instant at) {
        return db.update("UPDATE grants SET revoked_at = :at WHERE user_id = :user AND revoked_at IS NULL",
                Map.of("at", at, "user", userId));
    }

    /** When a grant last issued tokens, for the account page's order. */
    record LastUse(GrantId grantId, Instant at) {}

    /** Stamps when grants last issued tokens; one batch. */
    static void markUsed(Connection c, List<LastUse> uses) {
        JdbcBatch.execute(c, "UPDATE grants SET last_used_at = ? WHERE id = ?", uses, (st, use) -> {
            st.setLong(1, use.at().toEpochMilli());
            st.setString(2, use.grantId().value());
        });
    }

    @Override
    public List<ConnectedApp> listLive(UserId userId, Instant now) {
        return db.list(ConnectedApp.class, "SELECT g.id, g.client_id, c.name AS client_name, g.device_name, g.scope, g.created_at, g.last_used_at, c.legacy_api_writes "
                        + "FROM grants g JOIN clients c ON c.id = g.client_id "
                        + "WHERE g.user_id = :user AND g.revoked_at IS NULL AND ("
                        + "EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = g.id AND r.revoked_at IS NULL AND r.used_at IS NULL AND r.expires_at > :now) "
                        + "OR EXISTS (SELECT 1 FROM access_tokens a WHERE a.grant_id = g.id AND a.revoked_at IS NULL AND a.expires_at > :now) "
                        + "OR EXISTS (SELECT 1 FROM authorization_codes k WHERE k.grant_id = g.id AND k.consumed_at IS NULL AND k.expires_at > :now)) "
                        + "ORDER BY g.last_used_at DESC, g.id", Map.of("user", userId, "now", now));
    }
}
