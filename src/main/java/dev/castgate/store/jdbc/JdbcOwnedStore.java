package dev.castgate.store.jdbc;

import dev.castgate.domain.Owned;
import dev.castgate.store.OwnedStore;
import java.util.Map;
import java.util.Optional;

/** Finding, editing and deleting by id, the same statements for the channels and videos tables. */
abstract class JdbcOwnedStore<T extends Owned> implements OwnedStore<T> {
    protected final HandleSource db;
    private final Class<T> type;
    private final String table;
    private final String columns;

    JdbcOwnedStore(HandleSource db, Class<T> type, String table, String columns) {
        this.db = db;
        this.type = type;
        this.table = table;
        this.columns = columns;
    }

    @Override
    public Optional<T> find(String id) {
        return db.findOne(type, "SELECT " + columns + " FROM " + table + " WHERE id = :id", Map.of("id", id));
    }

    @Override
    public boolean update(String id, String title, String description) {
        return db.update("UPDATE " + table + " SET title = :title, description = :description WHERE id = :id",
                Map.of("title", title, "description", description, "id", id)) == 1;
    }

    @Override
    public boolean delete(String id) {
        return db.update("DELETE FROM " + table + " WHERE id = :id", Map.of("id", id)) == 1;
    }
}
