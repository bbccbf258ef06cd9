package dev.castgate.testing;

import dev.castgate.App;
import dev.castgate.admin.ClientRegistrations;
import dev.castgate.admin.UserAccounts;
import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ServerConfig;
import dev.castgate.crypto.PasswordHasher;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.SigningAlgorithm;
import dev.castgate.domain.Scope;
import dev.castgate.domain.User;
import dev.castgate.keys.KeysAtRest;
import dev.castgate.store.jdbc.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real server on a free port, on a fresh database of the kind this test run uses, with a
 * clock the test controls. Fixtures are made through the same services the command-line tool uses.
 * Tests usually get one through {@link CastgateServer}, which starts and closes it for them.
 */
public final class TestServer implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final RandomTokens RANDOM = RandomTokens.secure();
    /**
     * One hasher for the whole test run, at a fixture's cost: the server checks these users'
     * passwords at the cost stored with each, so sign-ins in tests do not each spend a real Argon2
     * run; the production parameters are tested in PasswordHasherTest and used for every account
     * the server itself makes (sign-up, password changes).
     */
    private static final PasswordHasher HASHER = PasswordHasher.forFixtures(RANDOM);
    public static final String PASSWORD = "correct horse battery";

    private final TestDatabase database;
    private final MutableClock clock;
    private final App app;
    private final String base;
    private final Map<String, String> env;
    private final ServerConfig config;
    /** The mail server the server sends to, or null: then development mode writes mail to the log. */
    private MailServer mail;

    private TestServer(TestDatabase database, MutableClock clock, App app, String base, Map<String, String> env, ServerConfig config) {
        this.database = database;
        this.config = config;
        this.clock = clock;
        this.app = app;
        this.base = base;
        this.env = env;
    }

    public static TestServer start() { return start(Map.of()); }

    /** Starts with a real SMTP server of its own on loopback, which it sends its mail to and closes with it. */
    public static TestServer startWithMail(Map<String, String> settings) {
        MailServer mail = MailServer.start();
        try {
            Map<String, String> all = new HashMap<>(mail.settings());
            all.putAll(settings);
            TestServer server = start(all);
            server.mail = mail;
            return server;
        } catch (RuntimeException | Error e) {
            mail.close();
            throw e;
        }
    }

    /**
     * Starts with extra settings, given as CASTGATE_* environment variables, where {@code {port}}
     * stands for the port the server is given. On SQLite the key
     * file is the embedded default, beside the database; on PostgreSQL each server gets its own
     * key file, as a deployment's nodes share one (an https issuer needs it there).
     */
    public static TestServer start(Map<String, String> settings) {
        TestDatabase database = TestDatabase.create();
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("CASTGATE_PORT", Integer.toString(port));
        env.put("CASTGATE_HOST", "127.0.0.1");
        env.put("CASTGATE_ISSUER", "http://127.0.0.1:" + port);
        env.put("CASTGATE_DATABASE_URL", database.jdbcUrl());
        env.put("CASTGATE_DATABASE_POOL_SIZE", "4");
        env.putAll(database.keySetting());
        // A setting may name the server's port, unknown until now, as {port}: an issuer on another host name, say.
        settings.forEach((name, value) -> env.put(name, value.replace("{port}", Integer.toString(port))));
        try {
            ServerConfig config = ConfigLoader.load(env, Optional.empty());
            MutableClock clock = new MutableClock();
            App app = App.start(config, clock);
            return new TestServer(database, clock, app, "http://127.0.0.1:" + port, Map.copyOf(env), config);
        } catch (RuntimeException | Error e) {
            database.close(); // a start that fails part-way leaves no database behind
            throw e;
        }
    }

    public String issuer() { return base; }

    public String url(String path) { return base + path; }

    /** The Streaming API's port: its own when api.port is set, else the server's. */
    public int apiPort() { return app.apiPort(); }

    /** The management port (metrics and health); the server must have been started with one. */
    public int managementPort() { return app.managementPort().orElseThrow(() -> new IllegalStateException("no management port")); }

    public MutableClock clock() { return clock; }

    public Database database() { return app.database(); }

    /** Every route the server registered, as "METHOD path". */
    public List<String> routes() { return app.routes(); }

    /** One housekeeping sweep now, instead of waiting for the schedule. */
    public dev.castgate.store.HousekeepingStore.Deleted sweep() { return app.housekeeper().sweep(); }

    /** The SMTP server this server sends to ({@code @CastgateServer(mail = true)}). */
    public MailServer mail() {
        if (mail == null) throw new IllegalStateException("this server has no mail server: start it with @CastgateServer(mail = true)");
        return mail;
    }

    /** One round of the outbox's sender now, on this thread, instead of waiting for its next one. */
    public void sendMail() { app.mailWorker().orElseThrow().round(); }

    /** Posts the logout tokens due now, at once rather than at the worker's next poll. */
    public void sendLogoutTokens() { app.logoutWorker().round(); }

    public String jdbcUrl() { return database.jdbcUrl(); }

    /** The stores that seal and open the keys the database holds, with the server's key. */
    public KeysAtRest keysAtRest() { return app.keysAtRest(); }

    /** The key file the server's keys at rest are encrypted with. */
    public Path keyFile() { return config.encryptionKey().path(); }

    /** The environment the server was started with, for running the command-line tool on the same database. */
    public Map<String, String> env() { return env; }

    /** A user with a unique name and {@link #PASSWORD}. */
    public User createUser() {
        String name = "user" + SEQUENCE.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffffff);
        return createUser(name, name + "@example.com", PASSWORD);
    }

    public User createUser(String username, String email, String password) {
        return new UserAccounts(database().stores(), HASHER, RANDOM, clock)
                .create(username, email, true, Optional.of("Test " + username), password);
    }

    /** A client to register; defaults: a web client with every grant and scope. */
    public ClientBuilder client() { return new ClientBuilder(); }

    public final class ClientBuilder {
        private ClientType type = ClientType.WEB;
        private List<String> redirectUris = List.of("http://127.0.0.1:9/callback");
        private final EnumSet<GrantType> grants = EnumSet.noneOf(GrantType.class);
        private Optional<Scope> scope = Optional.empty();
        private Optional<String> owner = Optional.empty();
        private Optional<Duration> accessTokenTtl = Optional.empty();
        private SigningAlgorithm algorithm = SigningAlgorithm.RS256;
        private AccessTokenFormat accessTokenFormat = AccessTokenFormat.OPAQUE;
        private SigningAlgorithm accessTokenAlgorithm = SigningAlgorithm.ES256;
        private Optional<Duration> refreshGrace = Optional.of(Duration.ZERO);
        private boolean implicit;
        private boolean pkcePlain;
        private boolean prefixRedirectMatch;
        private boolean legacyApiWrites;
        private boolean resourceServer;
        private boolean admin;
        private boolean requirePushedRequests;
        private boolean emailInIdToken = true;
        private Optional<ClientRegistrations.Authentication> authentication = Optional.empty();
        private dev.castgate.domain.RequestObjectPolicy requestObjects = dev.castgate.domain.RequestObjectPolicy.NONE;
        private dev.castgate.domain.ClientLogout logout = dev.castgate.domain.ClientLogout.NONE;
        private boolean dpopBound;

        public ClientBuilder nativeApp() { type = ClientType.NATIVE; return this; }
        public ClientBuilder redirectUris(String... uris) { redirectUris = List.of(uris); return this; }
        public ClientBuilder grants(GrantType... types) { grants.addAll(List.of(types)); return this; }
        public ClientBuilder scope(String scope) { this.scope = Optional.of(Scope.parseOrNull(scope)); return this; }
        public ClientBuilder owner(User user) { owner = Optional.of(user.username()); return this; }
        public ClientBuilder accessTokenTtl(Duration ttl) { accessTokenTtl = Optional.of(ttl); return this; }
        public ClientBuilder idTokenAlgorithm(SigningAlgorithm alg) { algorithm = alg; return this; }
        public ClientBuilder accessTokenFormat(AccessTokenFormat format) { accessTokenFormat = format; return this; }
        public ClientBuilder accessTokenAlgorithm(SigningAlgorithm alg) { accessTokenAlgorithm = alg; return this; }
        /** Zero (strict reuse detection) unless told, as the reuse tests expect; {@code castgate client add} gives 30 s. */
        public ClientBuilder refreshGrace(Duration grace) { refreshGrace = Optional.of(grace); return this; }
        /** The legacy implicit flow (response_type=token). */
        public ClientBuilder allowImplicit() { implicit = true; return this; }
        /** The legacy password grant: the default grants of the type plus password, unless grants were named. */
        public ClientBuilder allowPassword() {
            if (grants.isEmpty()) grants.addAll(ClientRegistrations.defaultGrants(type));
            grants.add(GrantType.PASSWORD);
            return this;
        }
        public ClientBuilder allowPkcePlain() { pkcePlain = true; return this; }
        public ClientBuilder prefixRedirectMatch() { prefixRedirectMatch = true; return this; }
        /** The original's Streaming API writes with a token of any scope. */
        public ClientBuilder legacyApiWrites() { legacyApiWrites = true; return this; }
        /** May introspect other clients' access tokens. */
        public ClientBuilder resourceServer() { resourceServer = true; return this; }
        /** An admin client: may receive the admin scope through client_credentials. */
        public ClientBuilder admin() { admin = true; return this; }
        /** Accepts only pushed authorization requests (RFC 9126 §6). */
        public ClientBuilder requirePushedRequests() { requirePushedRequests = true; return this; }
        /** Leaves email and email_verified to userinfo: not in its ID tokens. */
        public ClientBuilder noEmailInIdToken() { emailInIdToken = false; return this; }
        /** Authenticates as {@code how} says (RFC 7523 private_key_jwt or client_secret_jwt); a new secret is the TestClient's. */
        public ClientBuilder authentication(ClientRegistrations.Authentication how) { authentication = Optional.of(how); return this; }
        /** What it registered about request objects (RFC 9101): whether they are required, and their one algorithm. */
        public ClientBuilder requestObjects(dev.castgate.domain.RequestObjectPolicy policy) { requestObjects = policy; return this; }

        /** Where the browser may be sent after a logout the client asks for (RP-Initiated Logout §3.1). */
        public ClientBuilder postLogoutRedirectUris(String... uris) {
            logout = new dev.castgate.domain.ClientLogout(List.of(uris), logout.backchannelLogoutUri(), logout.backchannelLogoutSessionRequired());
            return this;
        }
        /** Where its logout tokens are posted (Back-Channel Logout §2.2). */
        public ClientBuilder backchannelLogoutUri(String uri) {
            logout = new dev.castgate.domain.ClientLogout(logout.postLogoutRedirectUris(), Optional.of(uri), logout.backchannelLogoutSessionRequired());
            return this;
        }

        /** Its token requests must carry a DPoP proof (RFC 9449 §5.2, dpop_bound_access_tokens). */
        public ClientBuilder dpopBound() { dpopBound = true; return this; }

        public TestClient create() {
            ClientRegistrations.Registered registered = new ClientRegistrations(database().stores(), RandomTokens.secure(), clock, base)
                    .register(new ClientRegistrations.Request("Test client " + SEQUENCE.incrementAndGet(), type,
                            redirectUris, grants, scope, owner, accessTokenTtl, algorithm, accessTokenFormat, accessTokenAlgorithm, refreshGrace,
                            new dev.castgate.domain.Client.Legacy(implicit, pkcePlain, prefixRedirectMatch, legacyApiWrites), resourceServer, admin,
                            requirePushedRequests, emailInIdToken, requestObjects, logout, dpopBound));
            if (authentication.isPresent()) {
                ClientRegistrations.Registered changed = new ClientRegistrations(database().stores(), RandomTokens.secure(), clock, base)
                        .authenticateWith(registered.client().id(), authentication.get(), keysAtRest()::sealClientSecret, ClientRegistrations.Via.OPERATOR);
                registered = new ClientRegistrations.Registered(changed.client(), changed.secret());
            }
            return new TestClient(registered.client().id().value(), registered.secret().orElse(null),
                    registered.client().redirectUris().isEmpty() ? null : registered.client().redirectUris().get(0),
                    registered.client().name());
        }
    }

    public static int freePort() { return ChildProcesses.freePort(); }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            database.close();
            if (mail != null) mail.close();
        }
    }
}
