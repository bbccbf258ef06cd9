package dev.castgate.store;

import dev.castgate.domain.UserId;
import dev.castgate.domain.Video;
import java.util.List;

/** Video metadata of the Streaming API. */
public interface VideoStore extends OwnedStore<Video> {
    void insert(Video video);

    List<Video> findByOwner(UserId ownerId);

    List<Video> findByChannel(String channelId);
}
