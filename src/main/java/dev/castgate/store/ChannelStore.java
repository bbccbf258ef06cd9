package dev.castgate.store;

import dev.castgate.domain.Channel;
import dev.castgate.domain.TokenHash;
import dev.castgate.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Channels of the Streaming API. */
public interface ChannelStore extends OwnedStore<Channel> {
    void insert(Channel channel);

    Optional<Channel> findByStreamName(String streamName);

    /** A user's channels, oldest first. */
    List<Channel> findByOwner(UserId ownerId);

    /**
     * Replaces the streaming key (nonce, hash, expiry) only if it is still {@code oldHash}, so two
     * nodes replacing an expired key at once agree on one; false when another request won.
     */
    boolean replaceStreamingKey(String id, TokenHash oldHash, String nonce, TokenHash hash, Instant expiresAt);

    /**
     * Sets the streaming key's expiry only if the key is still {@code hash}: two nodes extending at
     * once both keep the same key. False when another request replaced the key meanwhile.
     */
    boolean extendStreamingKey(String id, TokenHash hash, Instant expiresAt);

    /** Replaces the channel key and ends the streaming key, in one statement. */
    void rotateKeys(String id, String channelKeyNonce, TokenHash channelKeyHash, String streamingKeyNonce,
                    TokenHash streamingKeyHash, Instant streamingKeyExpiresAt);
}
