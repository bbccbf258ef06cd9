package dev.castgate.api;

import dev.castgate.api.ApiParams.Edit;
import dev.castgate.broadcast.Ingest;
import dev.castgate.domain.Channel;
import dev.castgate.domain.UserId;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.store.ChannelStore;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code /users/self/channels} and {@code /channels/{id}}: the user's channels, and any channel's public data. */
record ChannelsResource(ChannelStore channels, Ingest ingest, PathLookup lookup, ApiBodies bodies) {
    void listOwn(Context ctx, Caller caller) {
        Map<String, Object> own = new LinkedHashMap<>();
        for (Channel c : channels.findByOwner(caller.requireUser())) own.put(c.id(), bodies.channelDetail(c));
        Json.respond(ctx, 200, Map.of("channels", own));
    }

    void create(Context ctx, Caller caller) {
        UserId userId = caller.requireUser();
        Form form = Form.parse(ctx);
        String title = ApiParams.title(form.require("title"));
        String description = ApiParams.description(form.optional("description").orElse(""));
        // Ingest names the channel's stream and makes its first keys.
        Channel channel = ingest.newChannel(userId, title, description);
        channels.insert(channel);
        Json.respond(ctx, 201, Map.of("channel", bodies.channelMinimal(channel)));
    }

    void read(Context ctx, Optional<Caller> caller) {
        Channel channel = lookup.channel(ctx);
        Json.respond(ctx, 200, Map.of("channel", bodies.channel(channel, Caller.owns(caller, channel.ownerId()))));
    }

    void update(Context ctx, Caller caller) {
        Channel channel = lookup.ownChannel(ctx, caller);
        Edit edit = Edit.parse(Form.parse(ctx));
        channels.update(channel.id(), edit.title().orElse(channel.title()), edit.description().orElse(channel.description()));
        Json.respond(ctx, 200, Map.of("channel", bodies.channelDetail(lookup.channel(channel.id()))));
    }

    void delete(Context ctx, Caller caller) {
        channels.delete(lookup.ownChannel(ctx, caller).id());
        ctx.status(204);
    }
}
