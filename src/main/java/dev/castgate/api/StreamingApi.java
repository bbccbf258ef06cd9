package dev.castgate.api;

import dev.castgate.api.ApiRoute.Access;
import dev.castgate.api.ApiRoute.Field;
import dev.castgate.broadcast.DevicePasswords;
import dev.castgate.broadcast.Ingest;
import dev.castgate.broadcast.PublishCheckEndpoint;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.Channel;
import dev.castgate.domain.DevicePassword;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.domain.Video;
import dev.castgate.error.OAuthError;
import dev.castgate.error.OAuthException;
import dev.castgate.http.BearerToken;
import dev.castgate.http.Form;
import dev.castgate.http.Json;
import dev.castgate.http.ResponseHeaders;
import dev.castgate.store.Stores;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Streaming API (resource server): users/self, channels, video metadata, ingest settings and
 * device passwords, under a configurable base path, each path also with a {@code .json} suffix.
 * Every request is rate limited first, then its token is checked by the {@link TokenVerifier}.
 */
public final class StreamingApi {
    private static final int MAX_TITLE = 200;
    private static final int MAX_DESCRIPTION = 4000;
    private static final long MAX_UNIX_TIME = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private final String basePath;
    private final String issuer;
    /** The API's absolute URL: the issuer's origin, or the API's own port, plus the base path. */
    private final String apiUrl;
    private final Stores stores;
    private final TokenVerifier verifier;
    private final RateLimiter limiter;
    private final Ingest ingest;
    private final DevicePasswords devicePasswords;
    private final List<ApiRoute> routes;
    private final String openApiJson;

    public StreamingApi(String basePath, String issuer, String apiUrl, Stores stores, dev.castgate.store.Transactions transactions,
                        TokenVerifier verifier, dev.castgate.config.ServerConfig.ApiConfig config, Ingest ingest,
                        DevicePasswords devicePasswords, PublishCheckEndpoint publishCheck, Clock clock) {
        // The clock drives the rate-limit windows.
        this.basePath = basePath;
        this.issuer = issuer;
        this.apiUrl = apiUrl;
        this.stores = stores;
        this.verifier = verifier;
        this.limiter = new RateLimiter(transactions, clock, config);
        this.ingest = ingest;
        this.devicePasswords = devicePasswords;
        this.routes = routeTable(publishCheck);
        this.openApiJson = Json.write(OpenApiDocument.build(issuer, apiUrl, routes));
    }

    private List<ApiRoute> routeTable(PublishCheckEndpoint publishCheck) {
        Optional<String> none = Optional.empty();
        Optional<String> broadcaster = Optional.of(Scope.BROADCASTER);
        List<Field> noFields = List.of();
        List<Field> channelFields = List.of(
                new Field("title", true, "string", "the channel's title, 1 to 200 characters"),
                new Field("description", false, "string", "up to 4000 characters"));
        List<Field> updateFields = List.of(
                new Field("title", false, "string", "a new title, 1 to 200 characters"),
                new Field("description", false, "string", "a new description, up to 4000 characters"));
        List<Field> devicePasswordFields = List.of(
                new Field("device_name", true, "string", "a name for the device, 1 to 200 characters"),
                new Field("valid_from", true, "integer", "Unix time from which the password works"),
                new Field("valid_until", false, "integer", "Unix time from which it no longer works"));
        List<ApiRoute> table = new ArrayList<>();
        table.add(new ApiRoute("GET", "/users/self", "getSelf", "the token's user: id, username (and email with the email scope)",
                Access.TOKEN, none, noFields, 200, true, this::self));
        table.add(new ApiRoute("GET", "/users/self/channels", "listOwnChannels", "the user's channels, keyed by channel id",
                Access.TOKEN, none, noFields, 200, true, this::ownChannels));
        table.add(new ApiRoute("POST", "/users/self/channels", "createChannel", "creates a channel",
                Access.TOKEN, none, channelFields, 201, true, this::createChannel));
        table.add(new ApiRoute("GET", "/channels/{id}", "getChannel", "a channel: minimal public data, or the owner's detail",
                Access.OPTIONAL_TOKEN, none, noFields, 200, true, this::channel));
        table.add(new ApiRoute("PUT", "/channels/{id}", "updateChannel", "changes a channel's title or description",
                Access.TOKEN, none, updateFields, 200, true, this::updateChannel));
        table.add(new ApiRoute("DELETE", "/channels/{id}", "deleteChannel", "deletes a channel and its videos",
                Access.TOKEN, none, noFields, 204, true, this::deleteChannel));
        table.add(new ApiRoute("GET", "/channels/{id}/videos", "listChannelVideos", "a channel's videos",
                Access.OPTIONAL_TOKEN, none, noFields, 200, true, this::channelVideos));
        table.add(new ApiRoute("GET", "/channels/{id}/ingest", "getIngest",
                "ingest settings: RTMP URLs, stream name, channel key and a streaming key valid 10 minutes (each request extends it by 10)",
                Access.TOKEN, broadcaster, noFields, 200, true, this::ingestSettings));
        table.add(new ApiRoute("POST", "/channels/{id}/ingest/channel-key", "rotateChannelKey",
                "rotates the channel key and ends the streaming key; answers the new ingest settings",
                Access.TOKEN, broadcaster, noFields, 200, true, this::rotateChannelKey));
        table.add(new ApiRoute("GET", "/users/self/videos", "listOwnVideos", "the user's videos",
                Access.TOKEN, none, noFields, 200, true, this::ownVideos));
        table.add(new ApiRoute("GET", "/videos/{id}", "getVideo", "a video's metadata: minimal public data, or the owner's detail",
                Access.OPTIONAL_TOKEN, none, noFields, 200, true, this::video));
        table.add(new ApiRoute("PUT", "/videos/{id}", "updateVideo", "changes a video's title or description",
                Access.TOKEN, none, updateFields, 200, true, this::updateVideo));
        table.add(new ApiRoute("DELETE", "/videos/{id}", "deleteVideo", "deletes a video's metadata",
                Access.TOKEN, none, noFields, 204, true, this::deleteVideo));
        table.add(new ApiRoute("GET", "/users/self/device-passwords", "listDevicePasswords", "the user's device passwords (without the passwords)",
                Access.TOKEN, broadcaster, noFields, 200, true, this::listDevicePasswords));
        table.add(new ApiRoute("POST", "/users/self/device-passwords", "createDevicePassword",
                "creates a device password; the password is shown in this response only",
                Access.TOKEN, broadcaster, devicePasswordFields, 201, true, this::createDevicePassword));
        table.add(new ApiRoute("DELETE", "/users/self/device-passwords/{user_name}", "deleteDevicePassword", "removes a device password",
                Access.TOKEN, broadcaster, noFields, 204, true, this::deleteDevicePassword));
        table.add(new ApiRoute("POST", "/broadcast/on_publish", "onPublish",
                "nginx-rtmp on_publish: form fields name and either key (streaming or channel key) or user and pass (device password); 200 allows, 403 refuses",
                Access.NONE, none, List.of(
                        new Field("name", true, "string", "the stream name"),
                        new Field("key", false, "string", "a streaming key or the channel key"),
                        new Field("user", false, "string", "a device password's user name"),
                        new Field("pass", false, "string", "the device password")),
                200, false, publishCheck::handle));
        table.add(new ApiRoute("GET", "/openapi.json", "getOpenApi", "this OpenAPI 3 description",
                Access.NONE, none, noFields, 200, false, ctx -> Json.respondRaw(ctx, 200, openApiJson)));
        return List.copyOf(table);
    }

    /** Registers every route of the table, each also with a {@code .json} suffix where the original had one. */
    public void register(RoutesConfig config) {
        for (ApiRoute route : routes) {
            Handler handler = wrap(route);
            add(config, route.method(), basePath + route.path(), handler);
            // A path ending in a parameter takes the suffix through the parameter (see id()).
            if (route.jsonSuffix() && !route.path().endsWith("}")) add(config, route.method(), basePath + route.path() + ".json", handler);
        }
    }

    private static void add(RoutesConfig config, String method, String path, Handler handler) {
        switch (method) {
            case "GET" -> config.get(path, handler);
            case "POST" -> config.post(path, handler);
            case "PUT" -> config.put(path, handler);
            case "DELETE" -> config.delete(path, handler);
            default -> throw new IllegalArgumentException("unsupported method " + method);
        }
    }

    private Handler wrap(ApiRoute route) {
        if (route.access() == Access.NONE) return route.handler();
        return ctx -> {
            ResponseHeaders.noStore(ctx);
            // Counted before the token is checked, so guessing tokens spends the address's allowance.
            limiter.check(ctx, BearerToken.peekInHeader(ctx).map(Hashes::sha256Hex));
            route.handler().handle(ctx);
        };
    }

    // --- tokens -----------------------------------------------------------------------------

    private Caller caller(Context ctx) { return verifier.require(BearerToken.findInHeader(ctx)); }

    private Optional<Caller> optionalCaller(Context ctx) { return BearerToken.findInHeader(ctx).map(verifier::verify); }

    // --- users/self -------------------------------------------------------------------------

    private void self(Context ctx) {
        Caller caller = caller(ctx);
        User user = stores.users().find(caller.requireUser())
                .orElseThrow(() -> OAuthException.invalidToken("the account behind this token no longer exists"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", user.id());
        body.put("username", user.username());
        if (caller.scope().contains(Scope.EMAIL)) body.put("email", user.email());
        Json.respond(ctx, 200, body);
    }

    // --- channels ---------------------------------------------------------------------------

    private void ownChannels(Context ctx) {
        String userId = caller(ctx).requireUser();
        Map<String, Object> channels = new LinkedHashMap<>();
        for (Channel c : stores.channels().findByOwner(userId)) channels.put(c.id(), channelDetail(c));
        Json.respond(ctx, 200, Map.of("channels", channels));
    }

    private void createChannel(Context ctx) {
        Caller caller = caller(ctx);
        String userId = caller.requireUser();
        Form form = Form.parse(ctx);
        String title = title(form.require("title"));
        String description = description(form.optional("description").orElse(""));
        Channel channel = ingest.newChannel(userId, title, description);
        stores.channels().insert(channel);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", channel.id());
        body.put("title", channel.title());
        body.put("url", channelUrl(channel.id()));
        Json.respond(ctx, 201, Map.of("channel", body));
    }

    private void channel(Context ctx) {
        Optional<Caller> caller = optionalCaller(ctx);
        Channel channel = findChannel(ctx);
        boolean owner = caller.map(c -> c.owns(channel.ownerId())).orElse(false);
        Json.respond(ctx, 200, Map.of("channel", owner ? channelDetail(channel) : channelMinimal(channel)));
    }

    private void updateChannel(Context ctx) {
        Caller caller = caller(ctx);
        Channel channel = findChannel(ctx);
        caller.requireOwnerOf(channel.ownerId(), "channel");
        Form form = Form.parse(ctx);
        Optional<String> title = form.optional("title").map(StreamingApi::title);
        Optional<String> description = form.has("description") ? Optional.of(description(form.optional("description").orElse("")))
                : Optional.empty();
        if (title.isEmpty() && description.isEmpty()) throw OAuthException.invalidRequest("nothing to change: send title or description");
        stores.channels().update(channel.id(), title.orElse(channel.title()), description.orElse(channel.description()));
        Channel updated = stores.channels().find(channel.id()).orElseThrow(() -> notFound("channel"));
        Json.respond(ctx, 200, Map.of("channel", channelDetail(updated)));
    }

    private void deleteChannel(Context ctx) {
        Caller caller = caller(ctx);
        Channel channel = findChannel(ctx);
        caller.requireOwnerOf(channel.ownerId(), "channel");
        stores.channels().delete(channel.id());
        ctx.status(204);
    }

    private void channelVideos(Context ctx) {
        Optional<Caller> caller = optionalCaller(ctx);
        Channel channel = findChannel(ctx);
        boolean owner = caller.map(c -> c.owns(channel.ownerId())).orElse(false);
        List<Object> videos = new ArrayList<>();
        for (Video v : stores.videos().findByChannel(channel.id())) videos.add(owner ? videoDetail(v) : videoMinimal(v));
        Json.respond(ctx, 200, Map.of("videos", videos));
    }

    // --- ingest -----------------------------------------------------------------------------

    private void ingestSettings(Context ctx) {
        Channel channel = ownChannelForBroadcast(ctx);
        Ingest.Settings settings = ingest.settings(channel.id()).orElseThrow(() -> notFound("channel"));
        Json.respond(ctx, 200, ingestBody(settings));
    }

    private void rotateChannelKey(Context ctx) {
        Caller caller = caller(ctx);
        caller.requireScope(Scope.BROADCASTER);
        Channel channel = findChannel(ctx);
        caller.requireOwnerOf(channel.ownerId(), "channel");
        ingest.rotate(channel, caller.userId(), caller.clientId());
        Ingest.Settings settings = ingest.settings(channel.id()).orElseThrow(() -> notFound("channel"));
        Json.respond(ctx, 200, ingestBody(settings));
    }

    private Channel ownChannelForBroadcast(Context ctx) {
        Caller caller = caller(ctx);
        caller.requireScope(Scope.BROADCASTER);
        Channel channel = findChannel(ctx);
        caller.requireOwnerOf(channel.ownerId(), "channel");
        return channel;
    }

    private static Map<String, Object> ingestBody(Ingest.Settings s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rtmp_url", s.rtmpUrl());
        body.put("rtmps_url", s.rtmpsUrl());
        body.put("stream_name", s.streamName());
        body.put("channel_key", s.channelKey());
        body.put("streaming_key", s.streamingKey());
        body.put("streaming_key_expires_in", s.streamingKeyExpiresIn());
        return body;
    }

    // --- videos -----------------------------------------------------------------------------

    private void ownVideos(Context ctx) {
        String userId = caller(ctx).requireUser();
        List<Object> videos = new ArrayList<>();
        for (Video v : stores.videos().findByOwner(userId)) videos.add(videoDetail(v));
        Json.respond(ctx, 200, Map.of("videos", videos));
    }

    private void video(Context ctx) {
        Optional<Caller> caller = optionalCaller(ctx);
        Video video = findVideo(ctx);
        boolean owner = caller.map(c -> c.owns(video.ownerId())).orElse(false);
        Json.respond(ctx, 200, Map.of("video", owner ? videoDetail(video) : videoMinimal(video)));
    }

    private void updateVideo(Context ctx) {
        Caller caller = caller(ctx);
        Video video = findVideo(ctx);
        caller.requireOwnerOf(video.ownerId(), "video");
        Form form = Form.parse(ctx);
        Optional<String> title = form.optional("title").map(StreamingApi::title);
        Optional<String> description = form.has("description") ? Optional.of(description(form.optional("description").orElse("")))
                : Optional.empty();
        if (title.isEmpty() && description.isEmpty()) throw OAuthException.invalidRequest("nothing to change: send title or description");
        stores.videos().update(video.id(), title.orElse(video.title()), description.orElse(video.description()));
        Video updated = stores.videos().find(video.id()).orElseThrow(() -> notFound("video"));
        Json.respond(ctx, 200, Map.of("video", videoDetail(updated)));
    }

    private void deleteVideo(Context ctx) {
        Caller caller = caller(ctx);
        Video video = findVideo(ctx);
        caller.requireOwnerOf(video.ownerId(), "video");
        stores.videos().delete(video.id());
        ctx.status(204);
    }

    // --- device passwords -------------------------------------------------------------------

    private void listDevicePasswords(Context ctx) {
        Caller caller = caller(ctx);
        caller.requireScope(Scope.BROADCASTER);
        String userId = caller.requireUser();
        List<Object> list = new ArrayList<>();
        for (DevicePassword p : stores.devicePasswords().findByUser(userId)) list.add(devicePasswordBody(p, Optional.empty()));
        Json.respond(ctx, 200, Map.of("device_passwords", list));
    }

    private void createDevicePassword(Context ctx) {
        Caller caller = caller(ctx);
        caller.requireScope(Scope.BROADCASTER);
        String userId = caller.requireUser();
        Form form = Form.parse(ctx);
        String deviceName = form.require("device_name");
        if (deviceName.length() > MAX_TITLE) throw OAuthException.invalidRequest("device_name is longer than 200 characters");
        Instant validFrom = unixTime(form.require("valid_from"), "valid_from");
        Optional<Instant> validUntil = form.optional("valid_until").map(v -> unixTime(v, "valid_until"));
        if (validUntil.isPresent() && !validUntil.get().isAfter(validFrom)) {
            throw OAuthException.invalidRequest("valid_until must be after valid_from");
        }
        DevicePasswords.Created created = devicePasswords.create(userId, caller.clientId(), deviceName, validFrom, validUntil);
        Json.respond(ctx, 201, devicePasswordBody(created.devicePassword(), Optional.of(created.password())));
    }

    private void deleteDevicePassword(Context ctx) {
        Caller caller = caller(ctx);
        caller.requireScope(Scope.BROADCASTER);
        String userId = caller.requireUser();
        String userName = param(ctx, "user_name");
        if (!devicePasswords.remove(userId, caller.clientId(), userName)) throw notFound("device password");
        ctx.status(204);
    }

    private static Map<String, Object> devicePasswordBody(DevicePassword p, Optional<String> password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_name", p.deviceName());
        body.put("user_name", p.userName());
        password.ifPresent(value -> body.put("password", value));
        body.put("valid_from", p.validFrom().getEpochSecond());
        body.put("valid_until", p.validUntil().map(Instant::getEpochSecond).orElse(null));
        return body;
    }

    // --- shapes and parsing -----------------------------------------------------------------

    private Map<String, Object> channelMinimal(Channel c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("title", c.title());
        body.put("url", channelUrl(c.id()));
        return body;
    }

    private Map<String, Object> channelDetail(Channel c) {
        Map<String, Object> body = channelMinimal(c);
        body.put("description", c.description());
        body.put("stream_name", c.streamName());
        body.put("owner", Map.of("id", c.ownerId()));
        body.put("created_at", c.createdAt().getEpochSecond());
        body.put("authority", Map.of("reason", "own"));
        return body;
    }

    private Map<String, Object> videoMinimal(Video v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", v.id());
        body.put("title", v.title());
        body.put("channel_id", v.channelId());
        body.put("url", apiUrl + "/videos/" + v.id());
        return body;
    }

    private Map<String, Object> videoDetail(Video v) {
        Map<String, Object> body = videoMinimal(v);
        body.put("description", v.description());
        body.put("owner", Map.of("id", v.ownerId()));
        body.put("created_at", v.createdAt().getEpochSecond());
        return body;
    }

    private String channelUrl(String id) { return apiUrl + "/channels/" + id; }

    private Channel findChannel(Context ctx) {
        return stores.channels().find(param(ctx, "id")).orElseThrow(() -> notFound("channel"));
    }

    private Video findVideo(Context ctx) {
        return stores.videos().find(param(ctx, "id")).orElseThrow(() -> notFound("video"));
    }

    /** A path parameter without the optional {@code .json} suffix; ids are short and plain, anything else matches nothing. */
    private static String param(Context ctx, String name) {
        String value = ctx.pathParam(name);
        if (value.toLowerCase(Locale.ROOT).endsWith(".json")) value = value.substring(0, value.length() - 5);
        return value.length() > 64 ? "" : value;
    }

    private static OAuthException notFound(String what) {
        return new OAuthException(OAuthError.NOT_FOUND, "no such " + what);
    }

    private static String title(String raw) {
        String title = raw.strip();
        if (title.isEmpty()) throw OAuthException.invalidRequest("title must not be blank");
        if (title.length() > MAX_TITLE) throw OAuthException.invalidRequest("title is longer than 200 characters");
        return title;
    }

    private static String description(String raw) {
        if (raw.length() > MAX_DESCRIPTION) throw OAuthException.invalidRequest("description is longer than 4000 characters");
        return raw;
    }

    private static Instant unixTime(String raw, String name) {
        try {
            long seconds = Long.parseLong(raw);
            if (seconds < 0 || seconds > MAX_UNIX_TIME) throw OAuthException.invalidRequest(name + " is out of range");
            return Instant.ofEpochSecond(seconds);
        } catch (NumberFormatException e) {
            throw OAuthException.invalidRequest(name + " must be a Unix time in seconds");
        }
    }

    /** The route table, for tests that compare it with the OpenAPI description. */
    List<ApiRoute> routes() { return routes; }
}
