package dev.castgate;

import dev.castgate.account.AccountPage;
import dev.castgate.account.PasskeyPage;
import dev.castgate.account.SecondFactorPage;
import dev.castgate.account.VerifyEmailPage;
import dev.castgate.admin.AuditReading;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.admin.GrantAdministration;
import dev.castgate.admin.UserAccounts;
import dev.castgate.admin.UserAdministration;
import dev.castgate.admin.api.AdminApi;
import dev.castgate.api.RateLimiter;
import dev.castgate.api.StreamingApi;
import dev.castgate.api.TokenVerifier;
import dev.castgate.audit.AuditTrail;
import dev.castgate.audit.Operator;
import dev.castgate.authorize.AuthorizationRequestParser;
import dev.castgate.authorize.AuthorizationGrants;
import dev.castgate.authorize.AuthorizationResponder;
import dev.castgate.authorize.SignedAuthorizationResponse;
import dev.castgate.authorize.AuthorizeEndpoint;
import dev.castgate.authorize.PushedAuthorizationRequestEndpoint;
import dev.castgate.authorize.PushedRequests;
import dev.castgate.authorize.RequestObjects;
import dev.castgate.broadcast.DevicePasswords;
import dev.castgate.broadcast.Ingest;
import dev.castgate.broadcast.PublishCheckEndpoint;
import dev.castgate.clientauth.ClientAssertions;
import dev.castgate.clientauth.ClientAuthenticator;
import dev.castgate.clientauth.JwksUriFetcher;
import dev.castgate.clientauth.ClientLookup;
import dev.castgate.config.LogSetup;
import dev.castgate.config.ServerConfig;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.device.DeviceAuthorizationEndpoint;
import dev.castgate.device.DevicePage;
import dev.castgate.discovery.DiscoveryEndpoint;
import dev.castgate.dpop.DpopProofs;
import dev.castgate.discovery.JwksEndpoint;
import dev.castgate.domain.ClientId;
import dev.castgate.housekeeping.Housekeeper;
import dev.castgate.http.AccessLog;
import dev.castgate.http.ClientAddress;
import dev.castgate.http.Cookies;
import dev.castgate.http.Form;
import dev.castgate.http.ResponseHeaders;
import dev.castgate.interaction.LandingPage;
import dev.castgate.interaction.Pages;
import dev.castgate.interaction.ScopeDescriptions;
import dev.castgate.interaction.SecondStepTokens;
import dev.castgate.interaction.SignInForm;
import dev.castgate.interaction.SignupPage;
import dev.castgate.introspect.IntrospectionEndpoint;
import dev.castgate.introspect.SignedIntrospection;
import dev.castgate.keys.KeyFile;
import dev.castgate.keys.KeyRotation;
import dev.castgate.keys.KeysAtRest;
import dev.castgate.keys.SigningKeys;
import dev.castgate.login.LoginAttempts;
import dev.castgate.login.PasskeyChallenges;
import dev.castgate.login.Passkeys;
import dev.castgate.login.SecondFactors;
import dev.castgate.login.Throttle;
import dev.castgate.login.TotpSecrets;
import dev.castgate.mail.EmailLinks;
import dev.castgate.mail.EmailVerification;
import dev.castgate.mail.Outbox;
import dev.castgate.mail.delivery.LogTransport;
import dev.castgate.mail.delivery.MailComposer;
import dev.castgate.mail.delivery.MailTransport;
import dev.castgate.mail.delivery.MailWorker;
import dev.castgate.logout.LogoutDeliveryWorker;
import dev.castgate.logout.LogoutPage;
import dev.castgate.logout.LogoutTokens;
import dev.castgate.session.BackChannelLogout;
import dev.castgate.mail.delivery.SmtpTransport;
import dev.castgate.metrics.Metrics;
import dev.castgate.playground.DemoSeed;
import dev.castgate.playground.Playground;
import dev.castgate.protocol.Consents;
import dev.castgate.recovery.ForgotPasswordPage;
import dev.castgate.recovery.ResetPasswordPage;
import dev.castgate.registration.ClientConfigurationEndpoint;
import dev.castgate.registration.RegistrationEndpoint;
import dev.castgate.registration.RegistrationTokens;
import dev.castgate.resource.ResourceIndicators;
import dev.castgate.resource.ResourceRegistry;
import dev.castgate.resource.Resources;
import dev.castgate.revoke.RevocationEndpoint;
import dev.castgate.session.CsrfTokens;
import dev.castgate.session.SessionService;
import dev.castgate.store.Changes;
import dev.castgate.store.Stores;
import dev.castgate.store.jdbc.Database;
import dev.castgate.token.AuthorizationCodeGrantHandler;
import dev.castgate.token.ClientCredentialsGrantHandler;
import dev.castgate.token.DeviceCodeGrantHandler;
import dev.castgate.token.PasswordGrantHandler;
import dev.castgate.token.RefreshTokenGrantHandler;
import dev.castgate.token.TokenEndpoint;
import dev.castgate.token.TokenIssuer;
import dev.castgate.userinfo.UserInfoEndpoint;
import dev.castgate.web.HeadRequests;
import dev.castgate.web.Health;
import dev.castgate.web.Management;
import dev.castgate.web.OAuthErrorHandler;
import dev.castgate.web.Routes;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: the only place that builds stores, services and routes and wires them. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final Database database;
    private final KeysAtRest keysAtRest;
    private final Javalin javalin;
    /** The Streaming API's own listener when api.port is set, else null (the API is on javalin). */
    private final Javalin apiJavalin;
    private final Housekeeper housekeeper;
    private final SigningKeys signingKeys;
    /** The outbox's sender; null where no mail leaves. */
    private final MailWorker mailWorker;
    /** The sender of logout tokens. */
    private final LogoutDeliveryWorker logoutWorker;
    /** The management port's listener when management.port is set, else null. */
    private final Javalin managementJavalin;

    private App(Database database, KeysAtRest keysAtRest, Javalin javalin, Javalin apiJavalin, Housekeeper housekeeper,
                SigningKeys signingKeys, MailWorker mailWorker, LogoutDeliveryWorker logoutWorker, Javalin managementJavalin) {
        this.database = database;
        this.keysAtRest = keysAtRest;
        this.javalin = javalin;
        this.apiJavalin = apiJavalin;
        this.housekeeper = housekeeper;
        this.signingKeys = signingKeys;
        this.mailWorker = mailWorker;
        this.logoutWorker = logoutWorker;
        this.managementJavalin = managementJavalin;
    }

    /**
     * The server's listeners before they start (the main one, and the API's own when api.port is
     * set), the signing keys, and the outbox's sender (null where no mail leaves).
     */
    private record Servers(Javalin main, Javalin api, Javalin management, SigningKeys keys, MailWorker mailWorker,
                           LogoutDeliveryWorker logoutWorker) {}

    /**
     * Opens the database, loads the keys and starts serving; returns once the port is bound. A
     * {@link StartFailure} says in one line why it could not, where the operator can fix it.
     */
    public static App start(ServerConfig config, Clock clock) {
        StartPath.prepare();
        LogSetup.use(config.log().format());
        for (String devDefault : config.devDefaults()) log.warn("development default in use: {}", devDefault);
        for (String warning : config.warnings()) log.warn("{}", warning);
        // Before the database: a node that would refuse for want of a key file says so at once.
        KeyFile keyFile = StartFailure.keys(() -> KeyFile.of(config));
        Database database = StartWait.open(config.database());
        try {
            KeysAtRest keysAtRest = StartFailure.keys(() -> KeysAtRest.unlock(database, database.stores(), keyFile));
            Metrics metrics = new Metrics();
            database.observe(metrics);
            metrics.databasePool(database::poolUse);
            Servers servers = StartFailure.keys(() -> javalin(config, database, keysAtRest, clock, metrics));
            Javalin javalin;
            try {
                javalin = servers.main().start(config.host(), config.port());
            } catch (RuntimeException e) {
                throw StartFailure.listening(e, config.host(), config.port(), "CASTGATE_PORT");
            }
            Javalin apiJavalin = null;
            if (servers.api() != null) {
                try {
                    apiJavalin = servers.api().start(config.host(), config.api().port());
                } catch (RuntimeException e) {
                    javalin.stop();
                    throw StartFailure.listening(e, config.host(), config.api().port(), "CASTGATE_API_PORT");
                }
                log.info("the Streaming API is serving on {}:{}", config.host(), apiJavalin.port());
            }
            // Off the start path: the native signer loads while the server already answers.
            servers.keys().useNativeProviderInBackground();
            Javalin managementJavalin = null;
            if (servers.management() != null) {
                try {
                    managementJavalin = servers.management().start(config.management().host(), config.management().port());
                } catch (RuntimeException e) {
                    if (apiJavalin != null) apiJavalin.stop();
                    javalin.stop();
                    throw StartFailure.listening(e, config.management().host(), config.management().port(), "CASTGATE_MANAGEMENT_PORT");
                }
                log.info("metrics and health are served on {}:{}", config.management().host(), managementJavalin.port());
            }
            // Keys rotated or retired by another node, or by the command line, are taken within this interval.
            servers.keys().rereadEvery(config.signingKeys().rereadInterval());
            KeyRotation keyRotation = new KeyRotation(database, keysAtRest, new AuditTrail(RandomTokens.secure(), clock), clock,
                    config.signingKeys());
            Housekeeper housekeeper = new Housekeeper(database, database, clock, config.loginThrottle().window(),
                    config.housekeeping().auditRetention(), keyRotation, servers.keys(),
                    () -> TokenIssuer.longestSignedLifetime(config.tokens(), database.stores().clients().longestAccessTokenTtl()), metrics);
            housekeeper.start(config.housekeeping().interval());
            servers.logoutWorker().start();
            if (servers.mailWorker() != null) {
                servers.mailWorker().start();
                log.info("mail {}", config.mail().mode() == ServerConfig.MailMode.SMTP
                        ? "goes to " + config.mail().host() + ":" + config.mail().port() : "is written to the log (development)");
            }
            log.info("Castgate is serving {} on {}:{}", config.issuerBase(), config.host(), javalin.port());
            return new App(database, keysAtRest, javalin, apiJavalin, housekeeper, servers.keys(), servers.mailWorker(), servers.logoutWorker(),
                    managementJavalin);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static Servers javalin(ServerConfig config, Database database, KeysAtRest keysAtRest, Clock clock, Metrics metrics) {
        String issuer = config.issuerBase();
        RandomTokens random = RandomTokens.secure();
        Stores stores = database.stores();
        // The keys and server secrets are read, and decrypted, here once; requests use them from memory.
        SigningKeys keys = SigningKeys.loadOrCreate(keysAtRest.signingKeys(), clock);
        ClientLookup clients = new ClientLookup(stores.clients(), clock);
        ClientAssertions clientAssertions = new ClientAssertions(issuer, clients, keysAtRest::openClientSecret, new JwksUriFetcher(clock), clock,
                config.clientAssertions().tokenEndpointAudience());
        ClientAuthenticator clientAuthenticator = new ClientAuthenticator(clients, clientAssertions);
        Cookies cookies = new Cookies(config.secureCookies());
        Pages pages = new Pages();
        AuditTrail audit = new AuditTrail(random, clock);
        String successorSecret = keysAtRest.serverSecrets().findOrCreate("refresh_successor", random::urlSafe256, clock.instant());
        TokenIssuer tokenIssuer = new TokenIssuer(issuer, config.tokens(), keys, random, clock, database.issuances(), stores.users(),
                successorSecret);
        DpopProofs dpop = new DpopProofs(issuer, keysAtRest.serverSecrets().findOrCreate("dpop_nonces", random::urlSafe256, clock.instant()),
                config.dpop().nonceRequired(), clock);

        SessionService sessions = new SessionService(stores.sessions(), cookies, random, clock, config.sessionTtl());
        CsrfTokens csrf = new CsrfTokens(cookies, random, sessions,
                keysAtRest.serverSecrets().findOrCreate("csrf_tokens", random::urlSafe256, clock.instant()));
        PasswordHasher hasher = new PasswordHasher(random);
        // One throttle of guesses (sign-in, sign-up, user codes), over the sign-in failure window.
        Throttle throttle = new Throttle(database, random, config.loginThrottle().window(), clock);
        LoginAttempts logins = new LoginAttempts(stores, throttle, audit, hasher, config.loginThrottle());
        SecondFactors secondFactors = new SecondFactors(database, stores, throttle, audit, random, clock, config.loginThrottle(),
                new TotpSecrets(keysAtRest.serverSecrets().findOrCreate(TotpSecrets.SERVER_SECRET, () -> TotpSecrets.newKey(random),
                        clock.instant())));
        ScopeDescriptions scopeDescriptions = new ScopeDescriptions();
        UserAccounts accounts = new UserAccounts(stores, hasher, random, clock);
        // Mail: each change that causes one writes it to the outbox in its own transaction, and a
        // worker on every node sends it; links are derived under a key the nodes share.
        ServerConfig.MailConfig mail = config.mail();
        EmailLinks emailLinks = new EmailLinks(
                keysAtRest.serverSecrets().findOrCreate(EmailLinks.SERVER_SECRET, random::urlSafe256, clock.instant()), random, clock);
        MailWorker mailWorker = !mail.available() ? null : new MailWorker(database, stores, transport(config, clock),
                new MailComposer(issuer), emailLinks, clock, random, database.outages());
        Outbox outbox = new Outbox(mail.available(), random, clock, mailWorker == null ? () -> { } : mailWorker::wake);
        EmailVerification verification = new EmailVerification(emailLinks, outbox, throttle, mail.maxLinksPerAccount());
        Passkeys passkeys = new Passkeys(database, stores, throttle, audit, clock, config.loginThrottle(),
                new PasskeyChallenges(keysAtRest.serverSecrets().findOrCreate("passkey_challenges", random::urlSafe256, clock.instant()),
                        stores.passkeys(), random, clock), issuer);
        SignInForm signInForm = new SignInForm(sessions, stores.users(), csrf, logins, secondFactors, passkeys,
                new SecondStepTokens(keysAtRest.serverSecrets().findOrCreate("second_step", random::urlSafe256, clock.instant()), clock),
                pages, config.signupEnabled(), mail.available());
        Consents consents = new Consents(audit);
        AuthorizationResponder responder = new AuthorizationResponder(issuer, pages, new SignedAuthorizationResponse(issuer, keys, clock));
        AuthorizationGrants authorizationGrants = new AuthorizationGrants(database, consents, tokenIssuer, responder, random,
                config.tokens().authorizationCodeTtl());
        RequestObjects requestObjects = new RequestObjects(issuer, clientAssertions, config.requestObjects().required(),
                config.requestObjects().byReference(), clock);
        // RFC 8707: the Streaming API is known by the issuer and its base path, wherever it listens.
        ResourceRegistry resourceRegistry = new ResourceRegistry(stores.resources(), clock, issuer + config.api().basePath());
        ResourceIndicators resourceIndicators = new ResourceIndicators(resourceRegistry);
        PushedRequests pushedRequests = new PushedRequests(new AuthorizationRequestParser(clients, requestObjects, resourceIndicators),
                stores.pushedRequests(), random, clock,
                config.par().requestUriTtl(), config.par().required(),
                keysAtRest.serverSecrets().findOrCreate("pushed_requests", random::urlSafe256, clock.instant()));
        AuthorizeEndpoint authorize = new AuthorizeEndpoint(pushedRequests, signInForm, csrf, pages,
                scopeDescriptions, stores, consents, authorizationGrants, clock);
        SignupPage signup = new SignupPage(config.signupEnabled(), accounts, signInForm, csrf, pages, stores, database, audit,
                throttle, config.loginThrottle(), verification);
        AccountPage account = new AccountPage(signInForm, csrf, logins, accounts, secondFactors, passkeys, pages, scopeDescriptions, stores,
                database, audit, clock, verification);
        SecondFactorPage secondFactorPage = new SecondFactorPage(account, secondFactors, pages, java.net.URI.create(issuer).getHost());
        PasskeyPage passkeyPage = new PasskeyPage(account, passkeys, pages);
        // Back-Channel Logout 1.0: sessions that end queue logout tokens; a worker on every node posts them.
        LogoutDeliveryWorker logoutWorker = new LogoutDeliveryWorker(database, stores, new LogoutTokens(issuer, keys, random, clock), audit,
                clock, random, database.outages());
        LogoutPage logout = new LogoutPage(sessions, csrf, pages, database, audit, clients, issuer, keys,
                new BackChannelLogout(random, clock, logoutWorker::wake));
        TokenEndpoint token = new TokenEndpoint(tokenIssuer, resourceIndicators, dpop, List.of(
                new AuthorizationCodeGrantHandler(stores, audit),
                new RefreshTokenGrantHandler(stores, tokenIssuer, audit, clock),
                new ClientCredentialsGrantHandler(random, clock),
                new PasswordGrantHandler(logins, secondFactors, passkeys, random, clock),
                new DeviceCodeGrantHandler(stores, database, clock)));
        DeviceAuthorizationEndpoint deviceAuthorization = new DeviceAuthorizationEndpoint(stores.deviceCodes(), database,
                random, clock, config.device(), config.loginThrottle().window(), issuer);
        DevicePage device = new DevicePage(signInForm, csrf, pages, scopeDescriptions, stores, database, consents, audit, random,
                clock, config.device(), throttle);
        Ingest ingest = new Ingest(database, stores, keysAtRest.serverSecrets().findOrCreate("ingest_keys", random::urlSafe256, clock.instant()),
                random, audit, clock, config.broadcast(), throttle);
        TokenVerifier tokenVerifier = new TokenVerifier(stores.tokens(), keys, clock, dpop);
        database.listen(new ForgetOnChange(tokenVerifier, clients, keys, resourceRegistry));
        String apiUrl = config.api().ownPort() ? apiOrigin(config) + config.api().basePath() : issuer + config.api().basePath();
        StreamingApi api = new StreamingApi(config.api().basePath(), issuer, apiUrl, stores, database,
                tokenVerifier, clients, config.api(), ingest,
                new DevicePasswords(database, random, audit, clock), new PublishCheckEndpoint(ingest, config.trustedProxies(), metrics),
                metrics, clock);
        Playground playground = null;
        if (config.demo()) {
            DemoSeed.Credentials demo = DemoSeed.seed(stores, random, clock, issuer);
            playground = new Playground(demo, issuer, apiUrl, pages, csrf, cookies, random, clock);
            // Printed, not logged: the operator asked for these with --demo and needs to read them.
            System.out.println(demo.banner(issuer));
            System.out.flush();
        }
        // The admin API: the command-line tool's services on the server's stores, for admin clients' tokens.
        AdminApi adminApi = new AdminApi(issuer, tokenVerifier, clients, new RateLimiter(database, clock, config.api(), metrics),
                new ClientRegistrations(stores, random, clock, issuer), keysAtRest::sealClientSecret, new UserAdministration(database, stores, accounts, audit),
                mail.available() ? Optional.of(verification) : Optional.empty(),
                new GrantAdministration(database, stores, audit, Operator.COMMAND_LINE),
                new KeyRotation(database, keysAtRest, audit, clock, config.signingKeys()), keys, new AuditReading(stores.audit(), clock),
                new RegistrationTokens(stores, random, clock), new Resources(stores, random, clock, resourceRegistry.streamingApi(), resourceRegistry::forget));
        Health health = new Health(database::probeWrite);
        Routes routes = new Routes(clientAuthenticator, authorize, new PushedAuthorizationRequestEndpoint(pushedRequests, dpop), token,
                new RevocationEndpoint(database, audit, clock),
                new IntrospectionEndpoint(stores, keys, new SignedIntrospection(issuer, keys), clock),
                new UserInfoEndpoint(stores, keys, clock, issuer, dpop), new DiscoveryEndpoint(issuer, config.par().required(), requestObjects.required(),
                        requestObjects.byReference()),
                new JwksEndpoint(keys), health, signup, account, secondFactorPage, passkeyPage, logout,
                new LandingPage(pages),
                deviceAuthorization, device, config.api().ownPort() ? null : api, adminApi, playground,
                new VerifyEmailPage(emailLinks, csrf, pages, stores, database, audit, clock),
                new ForgotPasswordPage(mail, emailLinks, outbox, csrf, pages, stores, database, audit, throttle),
                new ResetPasswordPage(emailLinks, accounts, sessions, csrf, pages, stores, database, audit, outbox, clock),
                new RegistrationEndpoint(database, stores, audit, random, clock, config.registration(), config.loginThrottle().window(), issuer,
                        keysAtRest::sealClientSecret),
                new ClientConfigurationEndpoint(database, stores, clients, random, clock, issuer, keysAtRest::sealClientSecret),
                metrics);
        OAuthErrorHandler errors = new OAuthErrorHandler(responder, pages, config.errors(), database.outages());

        Javalin main = create(config, metrics, javalin -> {
            routes.register(javalin.routes);
            errors.register(javalin.routes);
        });
        Javalin apiOnly = !config.api().ownPort() ? null : create(config, metrics, javalin -> {
            Routes.registerApi(javalin.routes, api);
            errors.register(javalin.routes);
        });
        // Its own requests are neither logged nor measured: a scrape every few seconds would fill both.
        Javalin management = !config.management().enabled() ? null : create(config, null, javalin -> {
            new Management(metrics, health).register(javalin.routes);
            errors.register(javalin.routes);
        });
        return new Servers(main, apiOnly, management, keys, mailWorker, logoutWorker);
    }

    /**
     * What this node does when any node revokes tokens, changes a client, a signing key or the
     * resource registry: forget the cached entries, reread the keys.
     */
    private record ForgetOnChange(TokenVerifier tokens, ClientLookup clients, SigningKeys keys, ResourceRegistry resources) implements Changes {
        @Override public void tokensChanged() { tokens.forgetAll(); }

        @Override public void keysChanged() { keys.rereadSoon(); }

        @Override public void resourcesChanged() { resources.forget(); }

        @Override public void clientChanged(ClientId client) { clients.forget(client); }

        @Override public void everythingChanged() {
            tokens.forgetAll();
            clients.forgetAll();
            keys.rereadSoon();
            resources.forget();
        }
    }

    /** How mail leaves: over SMTP when a server is set, else (in development) into the log. */
    private static MailTransport transport(ServerConfig config, Clock clock) {
        if (config.mail().mode() != ServerConfig.MailMode.SMTP) return new LogTransport();
        try {
            return new SmtpTransport(config.mail(), config.issuer().getHost(), clock);
        } catch (IllegalArgumentException e) {
            throw StartFailure.mailFrom(e);
        }
    }

    /** The issuer's scheme and host with the API's own port: where the API's URLs point when it has one. */
    private static String apiOrigin(ServerConfig config) {
        java.net.URI issuer = config.issuer();
        return issuer.getScheme() + "://" + issuer.getHost() + ":" + config.api().port();
    }

    /** A listener with Castgate's settings; {@code metrics} null for one whose requests are neither logged nor measured. */
    private static Javalin create(ServerConfig config, Metrics metrics, java.util.function.Consumer<io.javalin.config.JavalinConfig> setup) {
        ClientAddress addresses = new ClientAddress(config.trustedProxies());
        AccessLog accessLog = new AccessLog(addresses, metrics != null && config.log().access());
        Javalin created = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            // Virtual threads suit PostgreSQL. The SQLite driver waits for its file lock inside
            // native code, which pins a virtual thread's carrier: with two cores two waiting
            // writers pinned both carriers and the server stopped. Platform threads it is, there.
            javalin.concurrency.useVirtualThreads = !config.database().sqlite();
            javalin.http.maxRequestSize = Form.MAX_BODY_BYTES;
            // The buffer Javalin copies each answer through into Jetty's own (which stays at its
            // 32 KB), made anew for every response: at its default, Jetty's size, it was half of
            // every byte a token request allocated, and young collections ran 50 times a second
            // under load. A token answer fits in one copy, the discovery document in three.
            javalin.http.responseBufferSize = 1024;
            javalin.http.prefer405over404 = true;
            // First: every later line of the request, and its answer, carries its id.
            javalin.routes.before(accessLog::begin);
            javalin.requestLogger.http((ctx, millis) -> {
                if (metrics != null) Management.observe(metrics, ctx, millis);
                accessLog.end(ctx, millis);
            });
            if (config.secureCookies()) javalin.routes.before(ResponseHeaders::strictTransportSecurity);
            // ctx.ip() is the client's address, behind trusted proxies too: every throttle, audit
            // event and rate limit reads it there, and nothing reads the peer address itself.
            javalin.contextResolver.ip = addresses::of;
            setup.accept(javalin);
        });
        HeadRequests.runGetHandlers(created);
        return created;
    }

    public int port() { return javalin.port(); }

    /** The management port, when management.port is set. */
    public Optional<Integer> managementPort() { return Optional.ofNullable(managementJavalin).map(Javalin::port); }

    /** The Streaming API's own port, or the server's when it has none. */
    public int apiPort() { return apiJavalin != null ? apiJavalin.port() : javalin.port(); }

    public Database database() { return database; }

    /** The stores that seal and open the keys the database holds, opened with this node's key file. */
    public KeysAtRest keysAtRest() { return keysAtRest; }

    /** Every registered route as "METHOD path", for tests that hold the API's description to the router. */
    public List<String> routes() {
        List<Javalin> all = apiJavalin == null ? List.of(javalin) : List.of(javalin, apiJavalin);
        return all.stream().flatMap(j -> j.unsafe.internalRouter.allHttpHandlers().stream())
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .toList();
    }

    /** The row sweeper; tests run a sweep at the moment they choose. */
    public Housekeeper housekeeper() { return housekeeper; }

    /** The outbox's sender, where mail leaves; tests run a round at the moment they choose. */
    public Optional<MailWorker> mailWorker() { return Optional.ofNullable(mailWorker); }

    /** The sender of logout tokens; tests run a round at the moment they choose. */
    public LogoutDeliveryWorker logoutWorker() { return logoutWorker; }

    @Override
    public void close() {
        if (mailWorker != null) mailWorker.close();
        logoutWorker.close();
        housekeeper.close();
        signingKeys.close();
        if (managementJavalin != null) managementJavalin.stop();
        if (apiJavalin != null) apiJavalin.stop();
        javalin.stop();
        database.close();
    }
}
