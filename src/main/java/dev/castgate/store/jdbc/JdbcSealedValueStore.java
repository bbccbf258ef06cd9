package dev.castgate.store.jdbc;

import dev.castgate.store.SealedValueStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

record JdbcSealedValueStore(HandleSource db) implements SealedValueStore {
    @Override
    public List<StoredValue> all() {
        List<StoredValue> all = new ArrayList<>(db.with(h -> h.createQuery("SELECT name, secret FROM server_secrets ORDER BY name")
                .map((rs, ctx) -> new StoredValue(Place.SERVER_SECRET, rs.getString(1), rs.getString(2))).list()));
        all.addAll(db.with(h -> h.createQuery("SELECT kid, jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at, kid")
                .map((rs, ctx) -> new StoredValue(Place.SIGNING_KEY, rs.getString(1), rs.getString(2))).list()));
        all.addAll(db.with(h -> h.createQuery("SELECT id, sealed_secret FROM clients WHERE sealed_secret IS NOT NULL ORDER BY id")
                .map((rs, ctx) -> new StoredValue(Place.CLIENT_SECRET, rs.getString(1), rs.getString(2))).list()));
        return all;
    }

    /** Compare and set: two nodes sealing the same old row at once both succeed, and only one's value stays. */
    @Override
    public boolean replace(StoredValue current, String replacement) {
        String sql = switch (current.place()) {
            case SERVER_SECRET -> "UPDATE server_secrets SET secret = :replacement WHERE name = :name AND secret = :current";
            case SIGNING_KEY -> "UPDATE signing_keys SET jwk = :replacement WHERE kid = :name AND jwk = :current";
            case CLIENT_SECRET -> "UPDATE clients SET sealed_secret = :replacement WHERE id = :name AND sealed_secret = :current";
        };
        return db.update(sql, Map.of("replacement", replacement, "name", current.name(), "current", current.stored())) == 1;
    }
}
