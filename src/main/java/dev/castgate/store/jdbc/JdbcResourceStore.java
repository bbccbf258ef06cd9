package dev.castgate.store.jdbc;

import dev.castgate.domain.Resource;
import dev.castgate.domain.Scope;
import dev.castgate.store.ResourceStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** Registered resources; {@code scopes} NULL means any scope. */
record JdbcResourceStore(HandleSource db) implements ResourceStore {
    @Override
    public boolean insert(Resource resource) {
        // One statement decides, so of two operators adding one URI at once only one succeeds.
        return db.with(h -> h.createUpdate("INSERT INTO resources (uri, name, scopes, created_at) VALUES (:uri, :name, :scopes, :created) "
                        + "ON CONFLICT (uri) DO NOTHING")
                .bind("uri", resource.uri())
                .bind("name", resource.name())
                .bind("scopes", resource.scopes().map(Scope::wireValue).orElse(null))
                .bind("created", resource.createdAt().toEpochMilli())
                .execute()) == 1;
    }

    @Override
    public List<Resource> list() {
        return db.with(h -> h.createQuery("SELECT uri, name, scopes, created_at FROM resources ORDER BY uri").map(ROW).list());
    }

    @Override
    public boolean delete(String uri) {
        return db.update("DELETE FROM resources WHERE uri = :uri", Map.of("uri", uri)) == 1;
    }

    private static final RowMapper<Resource> ROW = (rs, ctx) -> new Resource(rs.getString("uri"), rs.getString("name"),
            Optional.ofNullable(rs.getString("scopes")).map(Scope::parseOrNull), Instant.ofEpochMilli(rs.getLong("created_at")));
}
