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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

final class JdbcTokenStore implements TokenStore {
    /**
     * A token of a revoked grant is dead anyway; not storing one keeps a revocation that raced the
     * issuance final, and tells the issuer to answer invalid_grant instead of a dead token.
     */
    private static final String WHILE_GRANT_LIVE = " WHERE EXISTS (SELECT 1 FROM grants WHERE id = ? AND revoked_at IS NULL)";

    private final HandleSource db;

    JdbcTokenStore(HandleSource db) { this.db = db; }

    /**
     * Stores access tokens in one batch (one round trip on PostgreSQL), each only while its grant
     * is live; the counts say which were stored (1) and which not (0).
     */
    static int[] insertAccessTokens(Connection c, List<AccessToken> tokens) {
        return JdbcBatch.execute(c, "INSERT INTO access_tokens (hash, grant_id, client_id, user_id, scope, issued_at, expires_at) "
                + "SELECT ?, ?, ?, ?, ?, ?, ?" + WHILE_GRANT_LIVE, tokens, (st, t) -> bindToken(st, t.hash(), t.grantId(),
                t.clientId(), t.userId(), t.scope().wireValue(), t.issuedAt(), t.expiresAt()));
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
    public Optional<ActiveAccessToken> findActiveAccessTokenWithUsername(String hash, Instant now) {
        // The account's row goes with its grants (ON DELETE CASCADE), so a token whose user_id
        // finds no user cannot be live; the inner join says so as the other query would.
        return db.withConnection(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT t.hash, t.grant_id, t.client_id, t.user_id, t.scope, "
                    + "t.issued_at, t.expires_at, u.username FROM access_tokens t JOIN grants g ON g.id = t.grant_id "
                    + "LEFT JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND t.revoked_at IS NULL "
                    + "AND g.revoked_at IS NULL AND t.expires_at > ? AND (t.user_id IS NULL OR u.id IS NOT NULL)")) {
                st.setString(1, hash);
                st.setLong(2, now.toEpochMilli());
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(new ActiveAccessToken(accessToken(rs), optionalString(rs, "username")))
                            : Optional.empty();
                }
            }
        });
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
    static int[] insertRefreshTokens(Connection c, List<RefreshToken> tokens) {
        return JdbcBatch.execute(c, "INSERT INTO refresh_tokens (hash, grant_id, client_id, user_id, scope, issued_at, expires_at) "
                + "SELECT ?, ?, ?, ?, ?, ?, ?" + WHILE_GRANT_LIVE, tokens, (st, t) -> bindToken(st, t.hash(), t.grantId(),
                t.clientId(), t.userId(), t.scope().wireValue(), t.issuedAt(), t.expiresAt()));
    }

    private static void bindToken(PreparedStatement st, String hash, String grantId, String clientId, Optional<String> userId,
                                  String scope, Instant issuedAt, Instant expiresAt) throws SQLException {
        st.setString(1, hash);
        st.setString(2, grantId);
        st.setString(3, clientId);
        st.setString(4, userId.orElse(null));
        st.setString(5, scope);
        st.setLong(6, issuedAt.toEpochMilli());
        st.setLong(7, expiresAt.toEpochMilli());
        st.setString(8, grantId);
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
