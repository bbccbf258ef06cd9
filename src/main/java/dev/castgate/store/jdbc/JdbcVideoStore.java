package dev.castgate.store.jdbc;

import dev.castgate.domain.UserId;
import dev.castgate.domain.Video;
import dev.castgate.store.VideoStore;
import java.util.List;
import java.util.Optional;

final class JdbcVideoStore implements VideoStore {
    private static final String COLUMNS = "id, channel_id, owner_id, title, description, created_at";

    private final HandleSource db;

    JdbcVideoStore(HandleSource db) { this.db = db; }

    @Override
    public void insert(Video v) {
        db.run(h -> h.createUpdate("INSERT INTO videos (" + COLUMNS + ") VALUES (:id, :channelId, :ownerId, :title, :description, :createdAt)")
                .bindMethods(v).execute());
    }

    @Override
    public Optional<Video> find(String id) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM videos WHERE id = :id")
                .bind("id", id).mapTo(Video.class).findOne());
    }

    @Override
    public List<Video> findByOwner(UserId ownerId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM videos WHERE owner_id = :o ORDER BY created_at, id")
                .bind("o", ownerId).mapTo(Video.class).list());
    }

    @Override
    public List<Video> findByChannel(String channelId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM videos WHERE channel_id = :c ORDER BY created_at, id")
                .bind("c", channelId).mapTo(Video.class).list());
    }

    @Override
    public boolean update(String id, String title, String description) {
        return db.with(h -> h.createUpdate("UPDATE videos SET title = :title, description = :description WHERE id = :id")
                .bind("title", title).bind("description", description).bind("id", id).execute()) == 1;
    }

    @Override
    public boolean delete(String id) {
        return db.with(h -> h.createUpdate("DELETE FROM videos WHERE id = :id").bind("id", id).execute()) == 1;
    }
}
