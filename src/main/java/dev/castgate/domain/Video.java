package dev.castgate.domain;

import java.time.Instant;

/** A video's metadata (the Streaming API keeps no media). */
public record Video(String id, String channelId, UserId ownerId, String title, String description, Instant createdAt)
        implements Owned {}
