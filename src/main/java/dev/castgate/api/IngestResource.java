package dev.castgate.api;

import dev.castgate.broadcast.Ingest;
import dev.castgate.domain.Channel;
import dev.castgate.http.Json;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /channels/{id}/ingest}: where and with which keys the owner's encoder publishes. */
record IngestResource(Ingest ingest, OwnedItems<Channel> channels) {
    void settings(Context ctx, Caller caller) {
        respond(ctx, channels.own(ctx, caller));
    }

    void rotateChannelKey(Context ctx, Caller caller) {
        Channel channel = channels.own(ctx, caller);
        ingest.rotate(channel, caller.userId(), caller.clientId());
        respond(ctx, channel);
    }

    /** The settings after any change; each read also extends the streaming key. */
    private void respond(Context ctx, Channel channel) {
        // The channel may have been deleted since it was looked up.
        Ingest.Settings s = ingest.settings(channel.id()).orElseThrow(() -> OwnedItems.notFound("channel"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rtmp_url", s.rtmpUrl());
        body.put("rtmps_url", s.rtmpsUrl());
        body.put("stream_name", s.streamName());
        body.put("channel_key", s.channelKey());
        body.put("streaming_key", s.streamingKey());
        body.put("streaming_key_expires_in", s.streamingKeyExpiresIn());
        Json.respond(ctx, 200, body);
    }
}
