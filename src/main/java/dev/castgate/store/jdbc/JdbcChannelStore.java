package dev.castgate.store.jdbc;

import dev.castgate.domain.Channel;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.ChannelStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcChannelStore implements ChannelStore {
    private static final String COLUMNS = "id, owner_id, title, description, stream_name, channel_key_nonce, channel_key_hash, "
            + "streaming_key_nonce, streaming_key_hash, streaming_key_expires_at, created_at";

    private final HandleSource db;

    JdbcChannelStore(HandleSource db) { this.db = db; }

    @Override
    public void insert(Channel c) {
        db.run(h -> h.createUpdate("INSERT INTO channels (" + COLUMNS + ") VALUES (:id, :ownerId, :title, :description, :streamName, "
                        + ":channelKeyNonce, :channelKeyHash, :streamingKeyNonce, :streamingKeyHash, :streamingKeyExpiresAt, :createdAt)")
                .bindMethods(c)
                .execute());
    }

    @Override
    public Optional<Channel> find(String id) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM channels WHERE id = :id")
                .bind("id", id).mapTo(Channel.class).findOne());
    }

    @Override
    public Optional<Channel> findByStreamName(String streamName) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM channels WHERE stream_name = :s")
                .bind("s", streamName).mapTo(Channel.class).findOne());
    }

    @Override
    public List<Channel> findByOwner(UserId ownerId) {
        return db.with(h -> h.createQuery("SELECT " + COLUMNS + " FROM channels WHERE owner_id = :o ORDER BY created_at, id")
                .bind("o", ownerId).mapTo(Channel.class).list());
    }

    @Override
    public boolean update(String id, String title, String description) {
        return db.with(h -> h.createUpdate("UPDATE channels SET title = :title, description = :description WHERE id = :id")
                .bind("title", title).bind("description", description).bind("id", id).execute()) == 1;
    }

    @Override
    public boolean delete(String id) {
        return db.with(h -> h.createUpdate("DELETE FROM channels WHERE id = :id").bind("id", id).execute()) == 1;
    }

    @Override
    public boolean replaceStreamingKey(String id, TokenHash oldHash, String nonce, TokenHash hash, Instant expiresAt) {
        return db.with(h -> h.createUpdate("UPDATE channels SET streaming_key_nonce = :nonce, streaming_key_hash = :hash, "
                        + "streaming_key_expires_at = :expires WHERE id = :id AND streaming_key_hash = :old")
                .bind("nonce", nonce).bind("hash", hash).bind("expires", expiresAt).bind("id", id)
                .bind("old", oldHash).execute()) == 1;
    }

    @Override
    public boolean extendStreamingKey(String id, TokenHash hash, Instant expiresAt) {
        return db.with(h -> h.createUpdate("UPDATE channels SET streaming_key_expires_at = :expires "
                        + "WHERE id = :id AND streaming_key_hash = :hash")
                .bind("expires", expiresAt).bind("id", id).bind("hash", hash).execute()) == 1;
    }

    @Override
    public void rotateKeys(String id, String channelKeyNonce, TokenHash channelKeyHash, String streamingKeyNonce,
                           TokenHash streamingKeyHash, Instant streamingKeyExpiresAt) {
        db.run(h -> h.createUpdate("UPDATE channels SET channel_key_nonce = :ck_nonce, channel_key_hash = :ck_hash, "
                        + "streaming_key_nonce = :sk_nonce, streaming_key_hash = :sk_hash, streaming_key_expires_at = :sk_expires "
                        + "WHERE id = :id")
                .bind("ck_nonce", channelKeyNonce).bind("ck_hash", channelKeyHash)
                .bind("sk_nonce", streamingKeyNonce).bind("sk_hash", streamingKeyHash)
                .bind("sk_expires", streamingKeyExpiresAt).bind("id", id).execute());
    }
}
