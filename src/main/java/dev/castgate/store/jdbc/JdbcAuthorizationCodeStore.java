package dev.castgate.store.jdbc;

import dev.castgate.domain.AuthorizationCode;
import dev.castgate.domain.GrantId;
import dev.castgate.domain.TokenHash;
import dev.castgate.store.AuthorizationCodeStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

record JdbcAuthorizationCodeStore(HandleSource db) implements AuthorizationCodeStore {
    @Override
    public void insert(AuthorizationCode c, Instant createdAt) {
        db.run(h -> h.createUpdate("INSERT INTO authorization_codes (hash, grant_id, client_id, user_id, redirect_uri, redirect_uri_given, "
                        + "scope, nonce, code_challenge, auth_time, created_at, expires_at, dpop_jkt) "
                        + "VALUES (:hash, :grantId, :clientId, :userId, :redirectUri, :redirectUriGiven, :scope, :nonce, :codeChallenge, "
                        + ":authTime, :createdAt, :expiresAt, :dpopJkt)")
                .bindMethods(c)
                .bind("createdAt", createdAt)
                .execute());
    }

    @Override
    public Optional<AuthorizationCode> find(TokenHash hash) {
        return db.findOne(AuthorizationCode.class, "SELECT * FROM authorization_codes WHERE hash = :hash", Map.of("hash", hash));
    }

    @Override
    public CodeConsumption consume(TokenHash hash, Instant now) {
        return db.with(h -> {
            int updated = h.createUpdate("UPDATE authorization_codes SET consumed_at = :now "
                            + "WHERE hash = :hash AND consumed_at IS NULL AND expires_at > :now")
                    .bind("now", now).bind("hash", hash).execute();
            if (updated == 1) return new CodeConsumption.Consumed();
            return h.createQuery("SELECT grant_id FROM authorization_codes WHERE hash = :hash AND consumed_at IS NOT NULL")
                    .bind("hash", hash).mapTo(GrantId.class).findOne()
                    .<CodeConsumption>map(CodeConsumption.Replayed::new)
                    .orElseGet(CodeConsumption.Expired::new);
        });
    }
}
