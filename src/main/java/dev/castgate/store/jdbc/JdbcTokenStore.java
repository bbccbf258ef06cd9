package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;
import static dev.castgate.store.jdbc.SqlRows.optionalInstant;
import static dev.castgate.store.jdbc.SqlRows.optionalString;

import dev.castgate.domain.AccessToken;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.store.TokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

final class JdbcTokenStore implements TokenStore {
    /**
     * A token of a revoked grant is dead anyway; not storing one keeps a revocation that raced the
     * issuance final, and tells the issuer to answer invalid_grant instead of a dead token.
     */
    private static final String WHILE_GRANT_LIVE = " WHERE EXISTS (SELECT 1 FROM grants WHERE id = :grant AND revoked_at IS NULL)";

    private final HandleSource db;

    JdbcTokenStore(HandleSource db) { this.db = db; }

    /**
     * Stores access tokens in one batch (one round trip on PostgreSQL), each only while its grant
     * is live; the counts say which were stored (1) and which not (0).
     */
    static int[] insertAccessTokens(Handle h, List<AccessToken> tokens) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO access_tokens (hash, grant_id, client_id, user_id, scope, issued_at, expires_at) "
                + "SELECT :hash, :grant, :client, :user, :scope, :issued, :expires" + WHILE_GRANT_LIVE);
        for (AccessToken t : tokens) {
            batch.bind("hash", t.hash()).bind("grant", t.grantId()).bind("client", t.clientId())
                    .bind("user", t.userId().orElse(null)).bind("scope", t.scope().wireValue())
                    .bind("issued", t.issuedAt().toEpochMilli()).bind("expires", t.expiresAt().toEpochMilli())
                    .add();
        }
        return batch.execute();
    }

    @Override
    public Optional<AccessToken> findActiveAccessToken(String hash, Instant now) {
        return db.with(h -> h.createQuery("SELECT t.hash, t.grant_id, t.client_id, t.user_id, t.scope, t.issued_at, t.expires_at "
                        + "FROM access_tokens t JOIN grants g ON g.id = t.grant_id "
                        + "WHERE t.hash = :hash AND t.revoked_at IS NULL AND g.revoked_at IS NULL AND t.expires_at > :now")
                .bind("hash", hash).bind("now", now.toEpochMilli())
                .map((rs, ctx) -> accessToken(rs))
                .findOne());
    }

    @Override
    public Optional<AccessToken> findAccessToken(String hash) {
        return db.with(h -> h.createQuery("SELECT hash, grant_id, client_id, user_id, scope, issued_at, expires_at "
                        + "FROM access_tokens WHERE hash = :hash")
                .bind("hash", hash)
                .map((rs, ctx) -> accessToken(rs))
                .findOne());
    }

    @Override
    public boolean revokeAccessToken(String hash, Instant now) {
        return db.with(h -> h.createUpdate("UPDATE access_tokens SET revoked_at = :now WHERE hash = :hash AND revoked_at IS NULL")
                .bind("now", now.toEpochMilli()).bind("hash", hash).execute()) == 1;
    }

    private static AccessToken accessToken(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AccessToken(rs.getString("hash"), rs.getString("grant_id"), rs.getString("client_id"),
                optionalString(rs, "user_id"), Scope.parseOrNull(rs.getString("scope")),
                instant(rs, "issued_at"), instant(rs, "expires_at"));
    }

    /** Stores refresh tokens in one batch, each only while its grant is live, as {@link #insertAccessTokens}. */
    static int[] insertRefreshTokens(Handle h, List<RefreshToken> tokens) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO refresh_tokens (hash, grant_id, client_id, user_id, scope, issued_at, expires_at) "
                + "SELECT :hash, :grant, :client, :user, :scope, :issued, :expires" + WHILE_GRANT_LIVE);
        for (RefreshToken t : tokens) {
            batch.bind("hash", t.hash()).bind("grant", t.grantId()).bind("client", t.clientId())
                    .bind("user", t.userId().orElse(null)).bind("scope", t.scope().wireValue())
                    .bind("issued", t.issuedAt().toEpochMilli()).bind("expires", t.expiresAt().toEpochMilli())
                    .add();
        }
        return batch.execute();
    }

    @Override
    public Optional<RefreshToken> findRefreshToken(String hash) {
        return db.with(h -> h.createQuery("SELECT hash, grant_id, client_id, user_id, scope, issued_at, expires_at, used_at "
                        + "FROM refresh_tokens WHERE hash = :hash AND revoked_at IS NULL")
                .bind("hash", hash)
                .map((rs, ctx) -> new RefreshToken(rs.getString("hash"), rs.getString("grant_id"), rs.getString("client_id"),
                        optionalString(rs, "user_id"), Scope.parseOrNull(rs.getString("scope")),
                        instant(rs, "issued_at"), instant(rs, "expires_at"), optionalInstant(rs, "used_at")))
                .findOne());
    }

    @Override
    public boolean grantRevoked(String grantId) {
        return db.with(h -> h.createQuery("SELECT COUNT(*) FROM grants WHERE id = :id AND revoked_at IS NULL")
                .bind("id", grantId).mapTo(Integer.class).one()) == 0;
    }

    @Override
    public boolean markRefreshTokenUsed(String hash, Instant now) {
        return db.with(h -> h.createUpdate("UPDATE refresh_tokens SET used_at = :now "
                        + "WHERE hash = :hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > :now")
                .bind("now", now.toEpochMilli()).bind("hash", hash).execute()) == 1;
    }
}
