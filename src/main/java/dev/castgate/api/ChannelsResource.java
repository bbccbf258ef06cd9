package dev.castgate.api;

import dev.castgate.broadcast.Ingest;
import dev.castgate.domain.Channel;
import dev.castgate.domain.UserId;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.store.ChannelStore;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /users/self/channels} and {@code /channels/{id}}: the user's channels, and any channel's public data. */
record ChannelsResource(ChannelStore channels, Ingest ingest, ApiBodies bodies) {
    void listOwn(Context ctx, Caller caller) {
        Map<String, Object> own = new LinkedHashMap<>();
        for (Channel c : channels.findByOwner(caller.requireUser())) own.put(c.id(), bodies.channelDetail(c));
        Json.respond(ctx, 200, Map.of("channels", own));
    }

    void create(Context ctx, Caller caller) {
        UserId userId = caller.requireUser();
        Form form = Form.parse(ctx);
        String title = ApiParams.title(form);
        String description = ApiParams.description(form);
        // Ingest names the channel's stream and makes its first keys.
        Channel channel = ingest.newChannel(userId, title, description);
        channels.insert(channel);
        Json.respond(ctx, 201, Map.of("channel", bodies.channelMinimal(channel)));
    }
}
