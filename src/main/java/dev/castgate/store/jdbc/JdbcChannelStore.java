package dev.castgate.store.jdbc;

import dev.castgate.domain.Channel;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import dev.castgate.store.ChannelStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcChannelStore extends JdbcOwnedStore<Channel> implements ChannelStore {
    private static final String COLUMNS = "id, owner_id, title, description, stream_name, channel_key_nonce, channel_key_hash, "
            + "streaming_key_nonce, streaming_key_hash, streaming_key_expires_at, created_at";

    JdbcChannelStore(HandleSource db) { super(db, Channel.class, "channels", COLUMNS); }

    @Override
    public void insert(Channel c) {
        db.run(h -> h.createUpdate("INSERT INTO channels (" + COLUMNS + ") VALUES (:id, :ownerId, :title, :description, :streamName, "
                        + ":channelKeyNonce, :channelKeyHash, :streamingKeyNonce, :streamingKeyHash, :streamingKeyExpiresAt, :createdAt)")
                .bindMethods(c)
                .execute());
    }

    @Override
    public Optional<Channel> findByStreamName(String streamName) {
        return db.findOne(Channel.class, "SELECT " + COLUMNS + " FROM channels WHERE stream_name = :s", Map.of("s", streamName));
    }

    @Override
    public List<Channel> findByOwner(UserId ownerId) {
        return db.list(Channel.class, "SELECT " + COLUMNS + " FROM channels WHERE owner_id = :o ORDER BY created_at, id",
                Map.of("o", ownerId));
    }

    @Override
    public boolean replaceStreamingKey(String id, TokenHash oldHash, String nonce, TokenHash hash, Instant expiresAt) {
        return db.update("UPDATE channels SET streaming_key_nonce = :nonce, streaming_key_hash = :hash, "
                        + "streaming_key_expires_at = :expires WHERE id = :id AND streaming_key_hash = :old",
                        Map.of("nonce", nonce, "hash", hash, "expires", expiresAt, "id", id, "old", oldHash)) == 1;
    }

    @Override
    public boolean extendStreamingKey(String id, TokenHash hash, Instant expiresAt) {
        return db.update("UPDATE channels SET streaming_key_expires_at = :expires "
                        + "WHERE id = :id AND streaming_key_hash = :hash",
                        Map.of("expires", expiresAt, "id", id, "hash", hash)) == 1;
    }

    @Override
    public void rotateKeys(String id, String channelKeyNonce, TokenHash channelKeyHash, String streamingKeyNonce,
                           TokenHash streamingKeyHash, Instant streamingKeyExpiresAt) {
        db.update("UPDATE channels SET channel_key_nonce = :ck_nonce, channel_key_hash = :ck_hash, "
                        + "streaming_key_nonce = :sk_nonce, streaming_key_hash = :sk_hash, streaming_key_expires_at = :sk_expires "
                        + "WHERE id = :id",
                        Map.of("ck_nonce", channelKeyNonce, "ck_hash", channelKeyHash, "sk_nonce", streamingKeyNonce, "sk_hash", streamingKeyHash, "sk_expires", streamingKeyExpiresAt, "id", id));
    }
}
