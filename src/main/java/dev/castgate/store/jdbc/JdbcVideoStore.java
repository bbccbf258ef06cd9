package dev.castgate.store.jdbc;

import static dev.castgate.store.jdbc.SqlRows.instant;

import dev.castgate.domain.Video;
import dev.castgate.store.VideoStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcVideoStore implements VideoStore {
    private static final String COLUMNS = "id, channel_id, owner_id, title, description, created_at";

    private final HandleSource db;

    JdbcVideoStore(HandleSource db) { this.db = db; }

    @Override
    public void insert(Video v) {
        db.run(h -> h.createUpdate("INSERT INTO videos (" + COLUMNS + ") VALUES (:id, :channel, :owner, :title, :description, :created)")
                .bind("id", v.id()).bind("channel", v.channelId()).bind("owner", v.ownerId()).bind("title", v.title())
                .bind("description", v.description()).bind("created", v.createdAt().toEpochMilli()).execute());
    }

    @Override
    public Optional<Video> find(String id) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM videos WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> video(rs)).findOne());
    }

    @Override
    public List<Video> findByOwner(String ownerId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM videos WHERE owner_id = :o ORDER BY created_at, id")
                .bind("o", ownerId).map((rs, ctx) -> video(rs)).list());
    }

    @Override
    public List<Video> findByChannel(String channelId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM videos WHERE channel_id = :c ORDER BY created_at, id")
                .bind("c", channelId).map((rs, ctx) -> video(rs)).list());
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

    private static Video video(ResultSet rs) throws SQLException {
        return new Video(rs.getString("id"), rs.getString("channel_id"), rs.getString("owner_id"), rs.getString("title"),
                rs.getString("description"), instant(rs, "created_at"));
    }
}
