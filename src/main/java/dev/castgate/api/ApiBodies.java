package dev.castgate.api;

import dev.castgate.domain.Channel;
import dev.castgate.domain.Video;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of channels and videos: minimal public data for anyone, the detail for the
 * owner. Each carries its absolute URL under the API's own address.
 */
final class ApiBodies {
    private final String apiUrl;

    ApiBodies(String apiUrl) { this.apiUrl = apiUrl; }

    Map<String, Object> channel(Channel c, boolean detail) { return detail ? channelDetail(c) : channelMinimal(c); }

    Map<String, Object> video(Video v, boolean detail) { return detail ? videoDetail(v) : videoMinimal(v); }

    Map<String, Object> channelMinimal(Channel c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("title", c.title());
        body.put("url", apiUrl + "/channels/" + c.id());
        return body;
    }

    Map<String, Object> channelDetail(Channel c) {
        Map<String, Object> body = channelMinimal(c);
        body.put("description", c.description());
        body.put("stream_name", c.streamName());
        body.put("owner", Map.of("id", c.ownerId().value()));
        body.put("created_at", c.createdAt().getEpochSecond());
        body.put("authority", Map.of("reason", "own"));
        return body;
    }

    Map<String, Object> videoMinimal(Video v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", v.id());
        body.put("title", v.title());
        body.put("channel_id", v.channelId());
        body.put("url", apiUrl + "/videos/" + v.id());
        return body;
    }

    Map<String, Object> videoDetail(Video v) {
        Map<String, Object> body = videoMinimal(v);
        body.put("description", v.description());
        body.put("owner", Map.of("id", v.ownerId().value()));
        body.put("created_at", v.createdAt().getEpochSecond());
        return body;
    }
}
