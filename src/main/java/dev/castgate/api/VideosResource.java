package dev.castgate.api;

import dev.castgate.api.ApiParams.Edit;
import dev.castgate.domain.Channel;
import dev.castgate.domain.Video;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.store.VideoStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Video metadata: {@code /users/self/videos}, {@code /channels/{id}/videos} and {@code /videos/{id}}. The API has no upload. */
record VideosResource(VideoStore videos, PathLookup lookup, ApiBodies bodies) {
    void listOwn(Context ctx, Caller caller) {
        List<Object> own = new ArrayList<>();
        for (Video v : videos.findByOwner(caller.requireUser())) own.add(bodies.videoDetail(v));
        Json.respond(ctx, 200, Map.of("videos", own));
    }

    void listOfChannel(Context ctx, Optional<Caller> caller) {
        Channel channel = lookup.channel(ctx);
        // The channel's owner sees the detail of every video in it.
        boolean owner = Caller.owns(caller, channel.ownerId());
        List<Object> list = new ArrayList<>();
        for (Video v : videos.findByChannel(channel.id())) list.add(bodies.video(v, owner));
        Json.respond(ctx, 200, Map.of("videos", list));
    }

    void read(Context ctx, Optional<Caller> caller) {
        Video video = lookup.video(ctx);
        Json.respond(ctx, 200, Map.of("video", bodies.video(video, Caller.owns(caller, video.ownerId()))));
    }

    void update(Context ctx, Caller caller) {
        Video video = lookup.ownVideo(ctx, caller);
        Edit edit = Edit.parse(Form.parse(ctx));
        videos.update(video.id(), edit.title().orElse(video.title()), edit.description().orElse(video.description()));
        Json.respond(ctx, 200, Map.of("video", bodies.videoDetail(lookup.video(video.id()))));
    }

    void delete(Context ctx, Caller caller) {
        videos.delete(lookup.ownVideo(ctx, caller).id());
        ctx.status(204);
    }
}
