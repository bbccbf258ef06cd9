package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;
import static dev.castgate.store.jdbc.SqlRows.optionalString;

import dev.castgate.domain.AuthorizationCode;
import dev.castgate.domain.Scope;
import dev.castgate.store.AuthorizationCodeStore;
import java.time.Instant;
import java.util.Optional;

final class JdbcAuthorizationCodeStore implements AuthorizationCodeStore {
    private final HandleSource db;

    JdbcAuthorizationCodeStore(HandleSource db) { this.db = db; }

    @Override
    public void insert(AuthorizationCode c, Instant createdAt) {
        db.run(h -> h.createUpdate("INSERT INTO authorization_codes (hash, grant_id, client_id, user_id, redirect_uri, redirect_uri_given, "
                        + "scope, nonce, code_challenge, auth_time, created_at, expires_at) "
                        + "VALUES (:hash, :grant, :client, :user, :uri, :given, :scope, :nonce, :challenge, :auth, :created, :expires)")
                .bind("hash", c.hash())
                .bind("grant", c.grantId())
                .bind("client", c.clientId())
                .bind("user", c.userId())
                .bind("uri", c.redirectUri())
                .bind("given", c.redirectUriGiven())
                .bind("scope", c.scope().wireValue())
                .bind("nonce", c.nonce().orElse(null))
                .bind("challenge", c.codeChallenge().orElse(null))
                .bind("auth", c.authTime().toEpochMilli())
                .bind("created", createdAt.toEpochMilli())
                .bind("expires", c.expiresAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<AuthorizationCode> find(String hash) {
        return db.with(h -> h.createQuery("SELECT * FROM authorization_codes WHERE hash = :hash")
                .bind("hash", hash)
                .map((rs, ctx) -> new AuthorizationCode(rs.getString("hash"), rs.getString("grant_id"), rs.getString("client_id"),
                        rs.getString("user_id"), rs.getString("redirect_uri"), rs.getBoolean("redirect_uri_given"),
                        Scope.parseOrNull(rs.getString("scope")), optionalString(rs, "nonce"),
                        optionalString(rs, "code_challenge"), instant(rs, "auth_time"), instant(rs, "expires_at")))
                .findOne());
    }

    @Override
    public CodeConsumption consume(String hash, Instant now) {
        return db.with(h -> {
            int updated = h.createUpdate("UPDATE authorization_codes SET consumed_at = :now "
                            + "WHERE hash = :hash AND consumed_at IS NULL AND expires_at > :now")
                    .bind("now", now.toEpochMilli()).bind("hash", hash).execute();
            if (updated == 1) return new CodeConsumption.Consumed();
            return h.createQuery("SELECT grant_id FROM authorization_codes WHERE hash = :hash AND consumed_at IS NOT NULL")
                    .bind("hash", hash).mapTo(String.class).findOne()
                    .<CodeConsumption>map(CodeConsumption.Replayed::new)
                    .orElseGet(CodeConsumption.Expired::new);
        });
    }
}
