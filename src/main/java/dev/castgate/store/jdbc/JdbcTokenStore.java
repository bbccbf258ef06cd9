package dev.castgate.store.jdbc;

import dev.castgate.domain.AccessToken;
import dev.castgate.domain.Audience;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.TokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

record JdbcTokenStore(HandleSource db) implements TokenStore {
    private static final String ACCESS_COLUMNS = "hash, grant_id, client_id, user_id, scope, issued_at, expires_at";

    /**
     * Stores access tokens in one batch (one round trip on PostgreSQL), each only while its grant
     * is live; the counts say which were stored (1) and which not (0).
     */
    static int[] insertAccessTokens(Connection c, List<AccessToken> tokens) {
        return insert(c, "access_tokens", tokens, t -> new Columns(t.hash(), t.grantId(), t.clientId(), t.userId(), t.scope(),
                t.issuedAt(), t.expiresAt(), t.audience(), t.jkt()));
    }

    /** Stores refresh tokens in one batch, each only while its grant is live, as {@link #insertAccessTokens}. */
    static int[] insertRefreshTokens(Connection c, List<RefreshToken> tokens) {
        return insert(c, "refresh_tokens", tokens, t -> new Columns(t.hash(), t.grantId(), t.clientId(), t.userId(), t.scope(),
                t.issuedAt(), t.expiresAt(), Audience.DEFAULT, t.jkt()));
    }

    /**
     * What an insert writes: what an access token's and a refresh token's row have in common, and an
     * access token's audience (a refresh token's is its grant's, so it has no column).
     */
    private record Columns(TokenHash hash, GrantId grantId, ClientId clientId, Optional<UserId> userId, Scope scope,
                           Instant issuedAt, Instant expiresAt, Audience audience, Optional<String> jkt) {}

    /**
     * Plain JDBC on the group-commit writer's thread (see {@link JdbcBatch}). A token of a revoked
     * grant is dead anyway; not storing one keeps a revocation that raced the issuance final, and
     * tells the issuer to answer invalid_grant instead of a dead token.
     */
    private static <T> int[] insert(Connection c, String table, List<T> tokens, Function<T, Columns> columns) {
        boolean access = table.equals("access_tokens");
        return JdbcBatch.execute(c, "INSERT INTO " + table + " (" + ACCESS_COLUMNS + ", jkt" + (access ? ", audience" : "")
                + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?" + (access ? ", ?" : "") + " WHERE EXISTS (SELECT 1 FROM grants WHERE id = ? AND revoked_at IS NULL)", tokens, (st, token) -> {
                    Columns t = columns.apply(token);
                    st.setString(1, t.hash().value());
                    st.setString(2, t.grantId().value());
                    st.setString(3, t.clientId().value());
                    st.setString(4, t.userId().isEmpty() ? null : t.userId().get().value());
                    st.setString(5, t.scope().wireValue());
                    st.setLong(6, t.issuedAt().toEpochMilli());
                    st.setLong(7, t.expiresAt().toEpochMilli());
                    st.setString(8, t.jkt().orElse(null));
                    int next = 9;
                    if (access) st.setString(next++, t.audience().storedForm());
                    st.setString(next, t.grantId().value());
                });
    }

    /**
     * Every API call's and userinfo's lookup: it binds the time as a long and names its mapper,
     * saving Jdbi the two lookups by type (about a microsecond of the query's twenty).
     */
    @Override
    public Optional<AccessToken> findActiveAccessToken(TokenHash hash, Instant now) {
        return db.with(h -> h.createQuery("SELECT t.hash, t.grant_id, t.client_id, t.user_id, t.scope, t.issued_at, t.expires_at, t.audience, t.jkt "
                        + "FROM access_tokens t JOIN grants g ON g.id = t.grant_id LEFT JOIN users u ON u.id = t.user_id "
                        + "WHERE t.hash = :hash AND t.revoked_at IS NULL AND g.revoked_at IS NULL AND t.expires_at > :now "
                        + "AND u.disabled_at IS NULL")
                .bind("hash", hash.value()).bind("now", now.toEpochMilli())
                .map(Mappings.ACCESS_TOKEN)
                .findOne());
    }

    @Override
    public Optional<ActiveAccessToken> findActiveAccessTokenWithUsername(TokenHash hash, Instant now) {
        // The account's row goes with its grants (ON DELETE CASCADE), so a token whose user_id
        // finds no user cannot be live; the condition says so as the other query would. A
        // disabled account's tokens are dead, as in findActiveAccessToken.
        return db.withConnection(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT t.hash, t.grant_id, t.client_id, t.user_id, t.scope, "
                    + "t.issued_at, t.expires_at, t.audience, t.jkt, u.username FROM access_tokens t JOIN grants g ON g.id = t.grant_id "
                    + "LEFT JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND t.revoked_at IS NULL "
                    + "AND g.revoked_at IS NULL AND t.expires_at > ? AND (t.user_id IS NULL OR u.id IS NOT NULL) AND u.disabled_at IS NULL")) {
                st.setString(1, hash.value());
                st.setLong(2, now.toEpochMilli());
                try (ResultSet rs = st.executeQuery()) {
                    // The mappers read nothing from a statement context; plain JDBC has none to give.
                    return rs.next() ? Optional.of(new ActiveAccessToken(Mappings.ACCESS_TOKEN.map(rs, null),
                            Optional.ofNullable(rs.getString("username")))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<AccessToken> findAccessToken(TokenHash hash) {
        return db.findOne(AccessToken.class, "SELECT " + ACCESS_COLUMNS + ", audience, jkt FROM access_tokens WHERE hash = :hash",
                Map.of("hash", hash));
    }

    @Override
    public boolean revokeAccessToken(TokenHash hash, Instant now) {
        return db.update("UPDATE access_tokens SET revoked_at = :now WHERE hash = :hash AND revoked_at IS NULL",
                Map.of("now", now, "hash", hash)) == 1;
    }

    @Override
    public Optional<RefreshToken> findRefreshToken(TokenHash hash) {
        return db.findOne(RefreshToken.class, "SELECT " + ACCESS_COLUMNS + ", used_at, jkt FROM refresh_tokens WHERE hash = :hash AND revoked_at IS NULL",
                Map.of("hash", hash));
    }

    @Override
    public boolean grantRevoked(GrantId grantId) {
        return db.one(Integer.class, "SELECT COUNT(*) FROM grants WHERE id = :id AND revoked_at IS NULL",
                Map.of("id", grantId)) == 0;
    }

    @Override
    public boolean recordDpopProof(TokenHash jtiHash, Instant expiresAt) {
        return db.update("INSERT INTO dpop_proof_jtis (jti_hash, expires_at) VALUES (:hash, :expires) ON CONFLICT (jti_hash) DO NOTHING",
                Map.of("hash", jtiHash, "expires", expiresAt)) == 1;
    }

    @Override
    public boolean markRefreshTokenUsed(TokenHash hash, Instant now) {
        return db.update("UPDATE refresh_tokens SET used_at = :now "
                        + "WHERE hash = :hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > :now",
                        Map.of("now", now, "hash", hash)) == 1;
    }
}
