package dev.castgate.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.castgate.api.ApiRoute.Access;
import dev.castgate.api.ApiRoute.Access.NoToken;
import dev.castgate.api.ApiRoute.Access.OptionalToken;
import dev.castgate.api.ApiRoute.Access.Token;
import dev.castgate.api.ApiRoute.Access.Write;
import dev.castgate.api.ApiRoute.Field;
import dev.castgate.broadcast.DevicePasswords;
import dev.castgate.broadcast.Ingest;
import dev.castgate.broadcast.PublishCheckEndpoint;
import dev.castgate.clientauth.ClientLookup;
import dev.castgate.config.ServerConfig.ApiConfig;
import dev.castgate.crypto.Hashes;
import dev.castgate.domain.Channel;
import dev.castgate.domain.Scope;
import dev.castgate.domain.Video;
import dev.castgate.http.AccessLog;
import dev.castgate.http.BearerToken;
import dev.castgate.http.Json;
import dev.castgate.http.ResponseHeaders;
import dev.castgate.metrics.Metrics;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The Streaming API (resource server): users/self, channels, video metadata, ingest settings and
 * device passwords, under a configurable base path, each path also with a {@code .json} suffix.
 * This class is its router: one route table, from which both the Javalin routes and the OpenAPI
 * description are made. Before a handler runs, every request is rate limited, then its token is
 * verified by the {@link TokenVerifier} and the route's scope is checked. Writes to channels and
 * videos need {@code broadcaster} (RFC 9700 §2.3, least privilege: a sign-in app that asked for
 * {@code openid} changes nothing), except for clients registered for the original's scope-free writes.
 */
public final class StreamingApi {
    private final String basePath;
    /** Where clients send the API's requests: the issuer's origin, or the API's own port's (the URL DPoP proofs name). */
    private final String origin;
    /** The names a token's narrowed audience (RFC 8707) must hold one of here: the issuer, or the Streaming API's identifier. */
    private final String[] identifiers;
    private final TokenVerifier verifier;
    private final ClientLookup clients;
    private final RateLimiter limiter;
    private final List<ApiRoute> routes;
    private final String openApiJson;

    public StreamingApi(String basePath, String issuer, String apiUrl, Stores stores, Transactions transactions,
                        TokenVerifier verifier, ClientLookup clients, ApiConfig config, Ingest ingest,
                        DevicePasswords devicePasswords, PublishCheckEndpoint publishCheck, Metrics metrics, Clock clock) {
        this.basePath = basePath;
        this.origin = apiUrl.substring(0, apiUrl.length() - basePath.length());
        this.identifiers = new String[] {issuer, issuer + basePath};
        this.verifier = verifier;
        this.clients = clients;
        // The clock drives the rate-limit windows.
        this.limiter = new RateLimiter(transactions, clock, config, metrics);
        ApiBodies bodies = new ApiBodies(apiUrl);
        OwnedItems<Channel> channel = new OwnedItems<>(stores.channels(), "channel", bodies::channel);
        OwnedItems<Video> video = new OwnedItems<>(stores.videos(), "video", bodies::video);
        this.routes = routeTable(new UsersResource(stores.users()), new ChannelsResource(stores.channels(), ingest, bodies), channel,
                new VideosResource(stores.videos(), channel, bodies), video, new IngestResource(ingest, channel),
                new DevicePasswordsResource(stores.devicePasswords(), devicePasswords), publishCheck);
        this.openApiJson = Json.write(OpenApiDocument.build(issuer, apiUrl, routes));
    }

    private List<ApiRoute> routeTable(UsersResource users, ChannelsResource channels, OwnedItems<Channel> channel, VideosResource videos,
                                      OwnedItems<Video> video, IngestResource ingest, DevicePasswordsResource devicePasswords,
                                      PublishCheckEndpoint publishCheck) {
        Optional<String> anyScope = Optional.empty();
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
        return List.of(
                new ApiRoute(GET, "/users/self", "getSelf", "the token's user: id, username (and email with the email scope)",
                        new Token(anyScope, users::self), noFields, 200, true),
                new ApiRoute(GET, "/users/self/channels", "listOwnChannels", "the user's channels, keyed by channel id",
                        new Token(anyScope, channels::listOwn), noFields, 200, true),
                new ApiRoute(POST, "/users/self/channels", "createChannel", "creates a channel",
                        new Write(channels::create), channelFields, 201, true),
                new ApiRoute(GET, "/channels/{id}", "getChannel", "a channel: minimal public data, or the owner's detail",
                        new OptionalToken(channel::read), noFields, 200, true),
                new ApiRoute(PUT, "/channels/{id}", "updateChannel", "changes a channel's title or description",
                        new Write(channel::update), updateFields, 200, true),
                new ApiRoute(DELETE, "/channels/{id}", "deleteChannel", "deletes a channel and its videos",
                        new Write(channel::delete), noFields, 204, true),
                new ApiRoute(GET, "/channels/{id}/videos", "listChannelVideos", "a channel's videos",
                        new OptionalToken(videos::listOfChannel), noFields, 200, true),
                new ApiRoute(GET, "/channels/{id}/ingest", "getIngest",
                        "ingest settings: RTMP URLs, stream name, channel key and a streaming key valid 10 minutes (each request extends it by 10)",
                        new Token(broadcaster, ingest::settings), noFields, 200, true),
                new ApiRoute(POST, "/channels/{id}/ingest/channel-key", "rotateChannelKey",
                        "rotates the channel key and ends the streaming key; answers the new ingest settings",
                        new Token(broadcaster, ingest::rotateChannelKey), noFields, 200, true),
                new ApiRoute(GET, "/users/self/videos", "listOwnVideos", "the user's videos",
                        new Token(anyScope, videos::listOwn), noFields, 200, true),
                new ApiRoute(GET, "/videos/{id}", "getVideo", "a video's metadata: minimal public data, or the owner's detail",
                        new OptionalToken(video::read), noFields, 200, true),
                new ApiRoute(PUT, "/videos/{id}", "updateVideo", "changes a video's title or description",
                        new Write(video::update), updateFields, 200, true),
                new ApiRoute(DELETE, "/videos/{id}", "deleteVideo", "deletes a video's metadata",
                        new Write(video::delete), noFields, 204, true),
                new ApiRoute(GET, "/users/self/device-passwords", "listDevicePasswords", "the user's device passwords (without the passwords)",
                        new Token(broadcaster, devicePasswords::list), noFields, 200, true),
                new ApiRoute(POST, "/users/self/device-passwords", "createDevicePassword",
                        "creates a device password; the password is shown in this response only",
                        new Token(broadcaster, devicePasswords::create), devicePasswordFields, 201, true),
                new ApiRoute(DELETE, "/users/self/device-passwords/{user_name}", "deleteDevicePassword", "removes a device password",
                        new Token(broadcaster, devicePasswords::delete), noFields, 204, true),
                new ApiRoute(POST, "/broadcast/on_publish", "onPublish",
                        "nginx-rtmp on_publish: form fields name and either key (streaming or channel key) or user and pass (device password); 200 allows, 403 refuses",
                        new NoToken(publishCheck::handle), List.of(
                                new Field("name", true, "string", "the stream name"),
                                new Field("key", false, "string", "a streaming key or the channel key"),
                                new Field("user", false, "string", "a device password's user name"),
                                new Field("pass", false, "string", "the device password")),
                        200, false),
                // The description is made from this table after it is built, so its handler reads the field when called.
                new ApiRoute(GET, "/openapi.json", "getOpenApi", "this OpenAPI 3 description",
                        new NoToken(ctx -> Json.respondRaw(ctx, 200, openApiJson)), noFields, 200, false));
    }

    /** Registers every route of the table, each also with a {@code .json} suffix where the original had one. */
    public void register(RoutesConfig config) {
        for (ApiRoute route : routes) {
            Handler handler = guard(route.access());
            config.addEndpoint(new Endpoint(route.method(), basePath + route.path(), handler));
            // A path ending in a parameter takes the suffix through the parameter (see ApiParams.pathParam).
            if (route.jsonSuffix() && !route.path().endsWith("}")) {
                config.addEndpoint(new Endpoint(route.method(), basePath + route.path() + ".json", handler));
            }
        }
    }

    /**
     * The route's handler behind its access rule. The checks run in a fixed order, so a request
     * failing several gets the same answer on every route: rate limit, token, scope; the handler
     * then looks up the resource and checks ownership.
     */
    private Handler guard(Access access) {
        return switch (access) {
            case NoToken open -> open.handler();
            case OptionalToken optional -> ctx -> {
                limit(ctx);
                Optional<Caller> caller = BearerToken.presentedInHeader(ctx).map(presented -> verifier.verify(ctx, origin, presented));
                caller.ifPresent(c -> c.requireAudience(identifiers));
                caller.ifPresent(c -> AccessLog.client(ctx, c.clientId().value()));
                optional.handler().handle(ctx, caller);
            };
            case Token token -> ctx -> {
                limit(ctx);
                Caller caller = verifier.require(ctx, origin, BearerToken.presentedInHeader(ctx));
                caller.requireAudience(identifiers);
                AccessLog.client(ctx, caller.clientId().value());
                token.scope().ifPresent(caller::requireScope);
                token.handler().handle(ctx, caller);
            };
            case Write write -> ctx -> {
                limit(ctx);
                Caller caller = verifier.require(ctx, origin, BearerToken.presentedInHeader(ctx));
                caller.requireAudience(identifiers);
                AccessLog.client(ctx, caller.clientId().value());
                if (!legacyWriter(caller)) caller.requireScope(Scope.BROADCASTER);
                write.handler().handle(ctx, caller);
            };
        };
    }

    /**
     * Whether the token lacks {@code broadcaster} but its client is registered for the original
     * service's writes with any token. Asked only then, and from the client cache, so a write with
     * the scope costs nothing more and one without it at most a lookup per client per cache period.
     */
    private boolean legacyWriter(Caller caller) {
        return !caller.scope().contains(Scope.BROADCASTER)
                && clients.find(caller.clientId()).map(client -> client.legacy().apiWrites()).orElse(false);
    }

    /** Every answer of a route that reads tokens is personal, errors included, so none is stored; then the request is counted. */
    private void limit(Context ctx) {
        ResponseHeaders.noStore(ctx);
        // Counted before the token is checked, so guessing tokens spends the address's allowance.
        limiter.check(ctx, BearerToken.peekInHeader(ctx).map(Hashes::sha256Hex));
    }
}
