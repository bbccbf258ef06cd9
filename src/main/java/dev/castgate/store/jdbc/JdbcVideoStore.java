package dev.castgate.store.jdbc;

import dev.castgate.domain.UserId;
import dev.castgate.domain.Video;
import dev.castgate.store.VideoStore;
import java.util.List;
import java.util.Map;

final class JdbcVideoStore extends JdbcOwnedStore<Video> implements VideoStore {
    private static final String COLUMNS = "id, channel_id, owner_id, title, description, created_at";

    JdbcVideoStore(HandleSource db) { super(db, Video.class, "videos", COLUMNS); }

    @Override
    public void insert(Video v) {
        db.run(h -> h.createUpdate("INSERT INTO videos (" + COLUMNS + ") VALUES (:id, :channelId, :ownerId, :title, :description, :createdAt)")
                .bindMethods(v).execute());
    }

    @Override
    public List<Video> findByOwner(UserId ownerId) {
        return db.list(Video.class, "SELECT " + COLUMNS + " FROM videos WHERE owner_id = :o ORDER BY created_at, id",
                Map.of("o", ownerId));
    }

    @Override
    public List<Video> findByChannel(String channelId) {
        return db.list(Video.class, "SELECT " + COLUMNS + " FROM videos WHERE channel_id = :c ORDER BY created_at, id",
                Map.of("c", channelId));
    }
}
