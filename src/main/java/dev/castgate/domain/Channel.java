package dev.castgate.domain;

import java.time.Instant;

/**
 * A channel of the Streaming API. Its keys are kept only as hashes; the nonces let the server
 * derive the keys again (with its secret) to show them in the ingest settings.
 */
public record Channel(
        String id,
        UserId ownerId,
        String title,
        String description,
        String streamName,
        String channelKeyNonce,
        TokenHash channelKeyHash,
        String streamingKeyNonce,
        TokenHash streamingKeyHash,
        Instant streamingKeyExpiresAt,
        Instant createdAt) implements Owned {}
