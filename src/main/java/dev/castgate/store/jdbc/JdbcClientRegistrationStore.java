package dev.castgate.store.jdbc;

import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.ClientId;
import dev.castgate.domain.ClientRegistration;
import dev.castgate.domain.TokenHash;
import dev.castgate.store.ClientRegistrationStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** Registration access tokens, one row per self-registered client, deleted with it by the schema. */
record JdbcClientRegistrationStore(HandleSource db) implements ClientRegistrationStore {
    @Override
    public void insert(ClientRegistration r) {
        db.update("INSERT INTO client_registrations (client_id, token_hash, auth_method, issued_at) VALUES (:client, :hash, :method, :issued)",
                Map.of("client", r.clientId().value(), "hash", r.accessTokenHash().value(), "method", r.authMethod().wireName(),
                        "issued", r.issuedAt().toEpochMilli()));
    }

    @Override
    public Optional<ClientRegistration> find(ClientId clientId) {
        return db.with(h -> h.createQuery("SELECT client_id, token_hash, auth_method, issued_at FROM client_registrations WHERE client_id = :client")
                .bind("client", clientId.value()).map(ROW).findOne());
    }

    @Override
    public boolean rotate(ClientId clientId, TokenHash current, TokenHash next, ClientAuthMethod authMethod) {
        return db.update("UPDATE client_registrations SET token_hash = :next, auth_method = :method WHERE client_id = :client AND token_hash = :current",
                Map.of("next", next.value(), "method", authMethod.wireName(), "client", clientId.value(), "current", current.value())) == 1;
    }

    private static final RowMapper<ClientRegistration> ROW = (rs, ctx) -> new ClientRegistration(new ClientId(rs.getString("client_id")),
            new TokenHash(rs.getString("token_hash")),
            ClientAuthMethod.find(rs.getString("auth_method")).orElseThrow(() -> new IllegalStateException("unknown auth_method")),
            Instant.ofEpochMilli(rs.getLong("issued_at")));
}
