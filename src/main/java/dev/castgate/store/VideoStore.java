package dev.castgate.store;

import dev.castgate.domain.UserId;
import dev.castgate.domain.Video;
import java.util.List;
import java.util.Optional;

/** Video metadata of the Streaming API. */
public interface VideoStore {
    void insert(Video video);

    Optional<Video> find(String id);

    List<Video> findByOwner(UserId ownerId);

    List<Video> findByChannel(String channelId);

    boolean update(String id, String title, String description);

    boolean delete(String id);
}
