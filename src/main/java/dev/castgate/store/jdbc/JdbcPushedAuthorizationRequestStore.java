package dev.castgate.store.jdbc;

import dev.castgate.domain.ClientId;
import dev.castgate.domain.PushedAuthorizationRequest;
import dev.castgate.domain.TokenHash;
import dev.castgate.store.PushedAuthorizationRequestStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Pushed authorization requests; a request is taken by deleting its row (DESIGN.md, rule 7). */
record JdbcPushedAuthorizationRequestStore(HandleSource db) implements PushedAuthorizationRequestStore {
    @Override
    public void insert(PushedAuthorizationRequest request) {
        db.run(h -> h.createUpdate("INSERT INTO pushed_authorization_requests (hash, client_id, parameters, expires_at) "
                        + "VALUES (:hash, :client, :parameters, :expires)")
                .bind("hash", request.hash().value())
                .bind("client", request.clientId().value())
                .bind("parameters", request.parameters())
                .bind("expires", request.expiresAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<String> take(TokenHash hash, ClientId clientId, Instant now) {
        Map<String, Object> key = Map.of("hash", hash.value(), "client", clientId.value(), "now", now.toEpochMilli());
        Optional<String> parameters = db.with(h -> h.createQuery("SELECT parameters FROM pushed_authorization_requests "
                        + "WHERE hash = :hash AND client_id = :client AND expires_at > :now")
                .bindMap(key).mapTo(String.class).findOne());
        // The read only finds it; the one DELETE that removes the row decides who takes it.
        if (parameters.isEmpty()) return Optional.empty();
        boolean taken = db.update("DELETE FROM pushed_authorization_requests WHERE hash = :hash AND client_id = :client "
                + "AND expires_at > :now", key) == 1;
        return taken ? parameters : Optional.empty();
    }
}
