package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;
import static dev.castgate.store.jdbc.SqlRows.optionalInstant;
import static dev.castgate.store.jdbc.SqlRows.optionalString;

import dev.castgate.domain.AccessToken;
import dev.castgate.domain.RefreshToken;
import dev.castgate.domain.Scope;
import dev.castgate.store.TokenStore;
import java.time.Instant;
import java.util.Optional;

final class JdbcTokenStore implements TokenStore {
    private final HandleSource db;

    JdbcTokenStore(HandleSource db) { this.db = db; }

    @Override
    public void insertAccessToken(AccessToken t) {
        db.run(h -> h.createUpdate("INSERT INTO access_tokens (hash, grant_id, client_id, user_id, scope, issued_at, expires_at) "
                        + "VALUES (:hash, :grant, :client, :user, :scope, :issued, :expires)")
                .bind("hash", t.hash()).bind("grant", t.grantId()).bind("client", t.clientId())
                .bind("user", t.userId().orElse(null)).bind("scope", t.scope().wireValue())
                .bind("issued", t.issuedAt().toEpochMilli()).bind("expires", t.expiresAt().toEpochMilli())
                .execute());
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

    @Override
    public void insertRefreshToken(RefreshToken t) {
        db.run(h -> h.createUpdate("INSERT INTO refresh_tokens (hash, grant_id, client_id, user_id, scope, issued_at, expires_at) "
                        + "VALUES (:hash, :grant, :client, :user, :scope, :issued, :expires)")
                .bind("hash", t.hash()).bind("grant", t.grantId()).bind("client", t.clientId())
                .bind("user", t.userId().orElse(null)).bind("scope", t.scope().wireValue())
                .bind("issued", t.issuedAt().toEpochMilli()).bind("expires", t.expiresAt().toEpochMilli())
                .execute());
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
