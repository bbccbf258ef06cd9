package dev.castgate.web;

import dev.castgate.account.AccountPage;
import dev.castgate.logout.LogoutPage;
import dev.castgate.account.PasskeyPage;
import dev.castgate.account.SecondFactorPage;
import dev.castgate.account.VerifyEmailPage;
import dev.castgate.admin.api.AdminApi;
import dev.castgate.api.StreamingApi;
import dev.castgate.authorize.AuthorizeEndpoint;
import dev.castgate.authorize.PushedAuthorizationRequestEndpoint;
import dev.castgate.clientauth.AuthenticatedClient;
import dev.castgate.clientauth.ClientAuthenticator;
import dev.castgate.device.DeviceAuthorizationEndpoint;
import dev.castgate.device.DevicePage;
import dev.castgate.discovery.DiscoveryEndpoint;
import dev.castgate.discovery.JwksEndpoint;
import dev.castgate.domain.GrantType;
import dev.castgate.error.OAuthException;
import dev.castgate.http.AccessLog;
import dev.castgate.http.Form;
import dev.castgate.http.ResponseHeaders;
import dev.castgate.interaction.LandingPage;
import dev.castgate.interaction.SignupPage;
import dev.castgate.introspect.IntrospectionEndpoint;
import dev.castgate.metrics.Metrics;
import dev.castgate.playground.Playground;
import dev.castgate.recovery.ForgotPasswordPage;
import dev.castgate.recovery.ResetPasswordPage;
import dev.castgate.registration.ClientConfigurationEndpoint;
import dev.castgate.registration.RegistrationEndpoint;
import dev.castgate.revoke.RevocationEndpoint;
import dev.castgate.store.DatabaseUnavailable;
import dev.castgate.token.TokenEndpoint;
import dev.castgate.userinfo.UserInfoEndpoint;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * The one routing table: every endpoint, its paths, and what it answers ({@link Answer}): a page
 * or JSON, and whether the answer may be stored. A client-facing endpoint is declared with
 * {@link Table#forClients}: the router parses its form and authenticates the client
 * (RFC 6749 §2.3) before the handler runs, so no such handler can forget to.
 */
public record Routes(
        ClientAuthenticator clientAuthenticator,
        AuthorizeEndpoint authorize,
        PushedAuthorizationRequestEndpoint pushedAuthorization,
        TokenEndpoint token,
        RevocationEndpoint revocation,
        IntrospectionEndpoint introspection,
        UserInfoEndpoint userInfo,
        DiscoveryEndpoint discovery,
        JwksEndpoint jwks,
        Health health,
        SignupPage signup,
        AccountPage account,
        SecondFactorPage secondFactor,
        PasskeyPage passkey,
        LogoutPage logout,
        LandingPage landing,
        DeviceAuthorizationEndpoint deviceAuthorization,
        DevicePage device,
        StreamingApi api,
        AdminApi admin,
        Playground playground,
        VerifyEmailPage verifyEmail,
        ForgotPasswordPage forgotPassword,
        ResetPasswordPage resetPassword,
        RegistrationEndpoint registration,
        ClientConfigurationEndpoint clientConfiguration,
        Metrics metrics) {

    private static final StaticFiles STATIC_FILES = new StaticFiles();

    /** The Streaming API's routes alone, for its own port. */
    public static void registerApi(RoutesConfig routes, StreamingApi api) {
        routes.before(ResponseHeaders::common);
        api.register(routes);
    }

    public void register(RoutesConfig routes) {
        routes.before(ResponseHeaders::common);
        Table table = new Table(routes, clientAuthenticator, metrics);

        table.get("/authorize", Answer.PAGE, authorize::handle);
        table.post("/authorize", Answer.PAGE, authorize::handle);
        table.get("/oauth2/authorize", Answer.PAGE, authorize::handle);
        table.post("/oauth2/authorize", Answer.PAGE, authorize::handle);

        table.get("/signup", Answer.PAGE, signup::show);
        table.post("/signup", Answer.PAGE, signup::submit);

        table.get("/account", Answer.PAGE, account::show);
        table.post("/account/login", Answer.PAGE, account::login);
        table.post("/account/profile", Answer.PAGE, account::updateProfile);
        table.post("/account/password", Answer.PAGE, account::changePassword);
        table.post("/account/grants/revoke", Answer.PAGE, account::revokeGrant);
        table.post("/account/second-factor/begin", Answer.PAGE, secondFactor::begin);
        table.post("/account/second-factor/confirm", Answer.PAGE, secondFactor::confirm);
        table.post("/account/second-factor/recovery-codes", Answer.PAGE, secondFactor::newRecoveryCodes);
        table.post("/account/second-factor/disable", Answer.PAGE, secondFactor::disable);
        table.post("/account/passkeys/begin", Answer.PAGE, passkey::begin);
        table.post("/account/passkeys/register", Answer.PAGE, passkey::register);
        table.post("/account/passkeys/remove", Answer.PAGE, passkey::remove);

        table.post("/account/email/resend", Answer.PAGE, account::resendVerification);

        // The pages mailed links open, and the request for a recovery link.
        table.get("/verify-email", Answer.PAGE, verifyEmail::show);
        table.post("/verify-email", Answer.PAGE, verifyEmail::confirm);
        table.get("/forgot-password", Answer.PAGE, forgotPassword::show);
        table.post("/forgot-password", Answer.PAGE, forgotPassword::submit);
        table.get("/reset-password", Answer.PAGE, resetPassword::show);
        table.post("/reset-password", Answer.PAGE, resetPassword::submit);

        // The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0 §2), and the account page's sign-out.
        table.get(LogoutPage.PATH, Answer.PAGE, logout::get);
        table.post(LogoutPage.PATH, Answer.PAGE, logout::post);

        table.get("/device", Answer.PAGE, device::show);
        table.post("/device", Answer.PAGE, device::submit);
        table.post("/device/login", Answer.PAGE, device::login);

        table.tokenEndpoint("/oauth2/token", token::handle);
        table.forClients("/oauth2/par", pushedAuthorization::handle); // RFC 9126
        table.forClients("/oauth2/device_authorization", deviceAuthorization::handle);
        table.forClients("/oauth2/token/revoke", revocation::handle);
        table.forClients("/oauth2/revoke", revocation::handle);
        table.forClients("/oauth2/introspect", introspection::handle);

        // RFC 7591 and RFC 7592: JSON bodies and bearer tokens of their own, not client authentication.
        table.post("/oauth2/register", Answer.PRIVATE_JSON, registration::register);
        table.get("/oauth2/register/{client_id}", Answer.PRIVATE_JSON, clientConfiguration::read);
        table.put("/oauth2/register/{client_id}", Answer.PRIVATE_JSON, clientConfiguration::replace);
        table.delete("/oauth2/register/{client_id}", Answer.PRIVATE_JSON, clientConfiguration::delete);

        table.get("/oauth2/userinfo", Answer.PRIVATE_JSON, userInfo::handle);
        table.post("/oauth2/userinfo", Answer.PRIVATE_JSON, userInfo::handle);

        table.get("/oauth2/redirect", Answer.PAGE, landing::show);

        table.get("/oauth2/jwks", Answer.JSON, jwks::handle);
        table.get("/.well-known/openid-configuration", Answer.JSON, discovery::handle);
        table.get("/.well-known/oauth-authorization-server", Answer.JSON, discovery::handle);

        table.get("/health/live", Answer.JSON, health::live);
        table.get("/health/ready", Answer.JSON, health::ready);

        STATIC_FILES.register(routes);

        // Demo mode only: without it /playground is simply not a route (404).
        if (playground != null) {
            table.get("/playground", Answer.PAGE, playground::show);
            table.post("/playground/signin", Answer.PAGE, playground::signIn);
            table.get("/playground/callback", Answer.PAGE, playground::callback);
            table.post("/playground/self", Answer.PAGE, playground::callSelf);
            table.post("/playground/ingest", Answer.PAGE, playground::ingest);
            table.post("/playground/refresh", Answer.PAGE, playground::refresh);
            table.post("/playground/revoke", Answer.PAGE, playground::revoke);
            table.post("/playground/reset", Answer.PAGE, playground::reset);
        }

        // The Streaming API keeps its own route table, from which its OpenAPI description is made;
        // with api.port set it is served by its own listener instead (see App).
        if (api != null) api.register(routes);

        // The admin API keeps its own route table too, from which its OpenAPI description is made;
        // it stays on the main listener, beside the token endpoint its clients get their tokens from.
        admin.register(routes);
    }

    /** A client-facing endpoint: given the parsed form and the client it authenticated. */
    interface ClientEndpoint {
        void handle(Context ctx, Form form, AuthenticatedClient client);
    }

    /** Registers each route with what it answers, which the router applies before the handler. */
    private record Table(RoutesConfig routes, ClientAuthenticator clientAuthenticator, Metrics metrics) {
        void get(String path, Answer answer, Handler handler) { routes.get(path, declared(answer, handler)); }

        void post(String path, Answer answer, Handler handler) { routes.post(path, declared(answer, handler)); }

        void put(String path, Answer answer, Handler handler) { routes.put(path, declared(answer, handler)); }

        void delete(String path, Answer answer, Handler handler) { routes.delete(path, declared(answer, handler)); }

        /** A POST endpoint for clients: private JSON, the client authenticated first (invalid_client otherwise). */
        void forClients(String path, ClientEndpoint endpoint) {
            post(path, Answer.PRIVATE_JSON, ctx -> {
                Form form = Form.parse(ctx);
                endpoint.handle(ctx, form, authenticate(ctx, form));
            });
        }

        /**
         * The token endpoint, a client endpoint whose every request is also counted by grant
         * type, client and outcome (the error code, or {@code issued}). A grant type that is not
         * Castgate's counts as {@code unsupported}, so a request cannot make a series of its own;
         * so does a client that did not authenticate, as the empty client.
         */
        void tokenEndpoint(String path, ClientEndpoint endpoint) {
            post(path, Answer.PRIVATE_JSON, ctx -> {
                Form form = Form.parse(ctx);
                String grantType = form.lenient("grant_type")
                        .map(raw -> GrantType.find(raw).map(GrantType::wireName).orElse("unsupported")).orElse("none");
                String clientId = "";
                String outcome = "server_error";
                try {
                    AuthenticatedClient client = authenticate(ctx, form);
                    clientId = client.client().id().value();
                    endpoint.handle(ctx, form, client);
                    outcome = "issued";
                } catch (OAuthException e) {
                    outcome = e.error().code();
                    throw e;
                } catch (DatabaseUnavailable e) {
                    outcome = "temporarily_unavailable";
                    throw e;
                } finally {
                    metrics.tokenRequest(grantType, clientId, outcome);
                }
            });
        }

        private AuthenticatedClient authenticate(Context ctx, Form form) {
            AuthenticatedClient client = clientAuthenticator.authenticate(ctx, form);
            AccessLog.client(ctx, client.client().id().value());
            return client;
        }

        private static Handler declared(Answer answer, Handler handler) {
            return ctx -> {
                answer.begin(ctx);
                handler.handle(ctx);
            };
        }
    }
}
