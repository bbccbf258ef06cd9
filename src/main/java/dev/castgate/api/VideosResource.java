package dev.castgate.api;

import dev.castgate.domain.Channel;
import dev.castgate.domain.Video;
import dev.castgate.http.Json;
import dev.castgate.store.VideoStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Video metadata: {@code /users/self/videos}, {@code /channels/{id}/videos} and {@code /videos/{id}}. The API has no upload. */
record VideosResource(VideoStore videos, OwnedItems<Channel> channels, ApiBodies bodies) {
    void listOwn(Context ctx, Caller caller) {
        List<Object> own = new ArrayList<>();
        for (Video v : videos.findByOwner(caller.requireUser())) own.add(bodies.videoDetail(v));
        Json.respond(ctx, 200, Map.of("videos", own));
    }

    void listOfChannel(Context ctx, Optional<Caller> caller) {
        Channel channel = channels.find(ctx);
        // The channel's owner sees the detail of every video in it.
        boolean owner = Caller.owns(caller, channel.ownerId());
        List<Object> list = new ArrayList<>();
        for (Video v : videos.findByChannel(channel.id())) list.add(bodies.video(v, owner));
        Json.respond(ctx, 200, Map.of("videos", list));
    }
}
