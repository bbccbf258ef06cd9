package dev.castgate.web;

import dev.castgate.account.AccountPage;
import dev.castgate.account.LogoutPage;
import dev.castgate.api.StreamingApi;
import dev.castgate.authorize.AuthorizeEndpoint;
import dev.castgate.device.DeviceAuthorizationEndpoint;
import dev.castgate.device.DevicePage;
import dev.castgate.discovery.DiscoveryEndpoint;
import dev.castgate.discovery.JwksEndpoint;
import dev.castgate.http.ResponseHeaders;
import dev.castgate.interaction.LandingPage;
import dev.castgate.interaction.SignupPage;
import dev.castgate.introspect.IntrospectionEndpoint;
import dev.castgate.playground.Playground;
import dev.castgate.revoke.RevocationEndpoint;
import dev.castgate.token.TokenEndpoint;
import dev.castgate.userinfo.UserInfoEndpoint;
import io.javalin.config.RoutesConfig;

/** The one routing table: every endpoint and its paths. */
public record Routes(
        AuthorizeEndpoint authorize,
        TokenEndpoint token,
        RevocationEndpoint revocation,
        IntrospectionEndpoint introspection,
        UserInfoEndpoint userInfo,
        DiscoveryEndpoint discovery,
        JwksEndpoint jwks,
        Health health,
        SignupPage signup,
        AccountPage account,
        LogoutPage logout,
        LandingPage landing,
        DeviceAuthorizationEndpoint deviceAuthorization,
        DevicePage device,
        StreamingApi api,
        Playground playground) {

    private static final StaticFiles STATIC_FILES = new StaticFiles();

    /** The Streaming API's routes alone, for its own port. */
    public static void registerApi(RoutesConfig routes, StreamingApi api) {
        routes.before(ResponseHeaders::common);
        api.register(routes);
    }

    public void register(RoutesConfig routes) {
        routes.before(ResponseHeaders::common);

        routes.get("/authorize", authorize::handle);
        routes.post("/authorize", authorize::handle);
        routes.get("/oauth2/authorize", authorize::handle);
        routes.post("/oauth2/authorize", authorize::handle);

        routes.get("/signup", signup::show);
        routes.post("/signup", signup::submit);

        routes.get("/account", account::show);
        routes.post("/account/login", account::login);
        routes.post("/account/profile", account::updateProfile);
        routes.post("/account/password", account::changePassword);
        routes.post("/account/grants/revoke", account::revokeGrant);

        routes.get("/logout", logout::confirm);
        routes.post("/logout", logout::signOut);

        routes.get("/device", device::show);
        routes.post("/device", device::submit);
        routes.post("/device/login", device::login);

        routes.post("/oauth2/token", token::handle);
        routes.post("/oauth2/device_authorization", deviceAuthorization::handle);
        routes.post("/oauth2/token/revoke", revocation::handle);
        routes.post("/oauth2/revoke", revocation::handle);
        routes.post("/oauth2/introspect", introspection::handle);

        routes.get("/oauth2/userinfo", userInfo::handle);
        routes.post("/oauth2/userinfo", userInfo::handle);

        routes.get("/oauth2/redirect", landing::show);

        routes.get("/oauth2/jwks", jwks::handle);
        routes.get("/.well-known/openid-configuration", discovery::handle);
        routes.get("/.well-known/oauth-authorization-server", discovery::handle);

        routes.get("/health/live", health::live);
        routes.get("/health/ready", health::ready);

        STATIC_FILES.register(routes);

        // Demo mode only: without it /playground is simply not a route (404).
        if (playground != null) {
            routes.get("/playground", playground::show);
            routes.post("/playground/signin", playground::signIn);
            routes.get("/playground/callback", playground::callback);
            routes.post("/playground/self", playground::callSelf);
            routes.post("/playground/ingest", playground::ingest);
            routes.post("/playground/refresh", playground::refresh);
            routes.post("/playground/revoke", playground::revoke);
            routes.post("/playground/reset", playground::reset);
        }

        // The Streaming API keeps its own route table, from which its OpenAPI description is made;
        // with api.port set it is served by its own listener instead (see App).
        if (api != null) api.register(routes);
    }
}
