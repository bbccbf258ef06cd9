package dev.castgate.store.jdbc;

import dev.castgate.domain.RegistrationToken;
import dev.castgate.domain.TokenHash;
import dev.castgate.store.RegistrationTokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** Initial access tokens; {@code uses_left} NULL means no limit but the expiry. */
record JdbcRegistrationTokenStore(HandleSource db) implements RegistrationTokenStore {
    private static final String COLUMNS = "id, token_hash, created_at, expires_at, uses_left";

    @Override
    public void insert(RegistrationToken token) {
        db.run(h -> h.createUpdate("INSERT INTO registration_tokens (" + COLUMNS + ") VALUES (:id, :hash, :created, :expires, :uses)")
                .bind("id", token.id())
                .bind("hash", token.hash().value())
                .bind("created", token.createdAt().toEpochMilli())
                .bind("expires", token.expiresAt().toEpochMilli())
                .bind("uses", token.usesLeft().orElse(null))
                .execute());
    }

    @Override
    public Optional<RegistrationToken> find(TokenHash hash) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM registration_tokens WHERE token_hash = :hash")
                .bind("hash", hash.value()).map(ROW).findOne());
    }

    @Override
    public List<RegistrationToken> list() {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM registration_tokens ORDER BY created_at, id").map(ROW).list());
    }

    @Override
    public boolean consume(TokenHash hash, Instant now) {
        // One statement decides: a row no longer matches once its last use is taken (DESIGN.md, rule 7).
        return db.update("UPDATE registration_tokens SET uses_left = uses_left - 1 WHERE token_hash = :hash AND expires_at > :now "
                        + "AND (uses_left IS NULL OR uses_left > 0)",
                Map.of("hash", hash.value(), "now", now.toEpochMilli())) == 1;
    }

    @Override
    public boolean delete(String id) {
        return db.update("DELETE FROM registration_tokens WHERE id = :id", Map.of("id", id)) == 1;
    }

    private static final RowMapper<RegistrationToken> ROW = (rs, ctx) -> {
        int uses = rs.getInt("uses_left");
        Optional<Integer> usesLeft = rs.wasNull() ? Optional.empty() : Optional.of(uses);
        return new RegistrationToken(rs.getString("id"), new TokenHash(rs.getString("token_hash")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at")), usesLeft);
    };
}
