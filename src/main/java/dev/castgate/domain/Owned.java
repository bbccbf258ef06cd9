package dev.castgate.domain;

/** What the Streaming API lets its owner rename, describe and delete alike: a channel or a video. */
public interface Owned {
    String id();

    UserId ownerId();

    String title();

    String description();
}
