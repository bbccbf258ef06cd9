package dev.castgate.api;

import dev.castgate.domain.Channel;
import dev.castgate.domain.Video;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.store.ChannelStore;
import dev.castgate.store.VideoStore;
import io.javalin.http.Context;

/**
 * Finds the channel or video a request's {@code {id}} names, and checks that the caller owns it
 * where the route changes or reveals the owner's data. The lookup comes after the token and
 * scope checks, so an unauthorised caller cannot tell which ids exist.
 */
record PathLookup(ChannelStore channels, VideoStore videos) {
    Channel channel(Context ctx) { return channel(ApiParams.pathParam(ctx, "id")); }

    Channel channel(String id) { return channels.find(id).orElseThrow(() -> notFound("channel")); }

    Channel ownChannel(Context ctx, Caller caller) {
        Channel channel = channel(ctx);
        caller.requireOwnerOf(channel.ownerId(), "channel");
        return channel;
    }

    Video video(Context ctx) { return video(ApiParams.pathParam(ctx, "id")); }

    Video video(String id) { return videos.find(id).orElseThrow(() -> notFound("video")); }

    Video ownVideo(Context ctx, Caller caller) {
        Video video = video(ctx);
        caller.requireOwnerOf(video.ownerId(), "video");
        return video;
    }

    static OAuthException notFound(String what) {
        return new OAuthException(OAuthError.NOT_FOUND, "no such " + what);
    }
}
