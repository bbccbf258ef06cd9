package dev.castgate.config;

import dev.castgate.error.ErrorMode;
import dev.castgate.http.AddressRange;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole, validated configuration, loaded once by {@link ConfigLoader} and passed down.
 * {@code trustedProxies} are the proxies whose forwarded headers name the client ({@code http.ClientAddress}).
 * {@code errors} picks the statuses of OAuth errors (the standards', or the original service's).
 * {@code devDefaults} lists what was left at a development default, announced once at start;
 * {@code warnings}, what the loader noticed but does not refuse (an unknown {@code CASTGATE_*}
 * variable), logged at start too.
 */
public record ServerConfig(
        URI issuer,
        String host,
        int port,
        List<AddressRange> trustedProxies,
        DatabaseConfig database,
        EncryptionKeyFile encryptionKey,
        SigningKeysConfig signingKeys,
        TokenConfig tokens,
        Duration sessionTtl,
        LoginThrottleConfig loginThrottle,
        HousekeepingConfig housekeeping,
        boolean signupEnabled,
        ErrorMode errors,
        DeviceConfig device,
        RegistrationConfig registration,
        ParConfig par,
        RequestObjectsConfig requestObjects,
        DpopConfig dpop,
        ClientAssertionsConfig clientAssertions,
        ApiConfig api,
        BroadcastConfig broadcast,
        MailConfig mail,
        LogConfig log,
        ManagementConfig management,
        List<String> devDefaults,
        boolean demo,
        List<String> warnings) {

    public ServerConfig {
        trustedProxies = List.copyOf(trustedProxies);
        devDefaults = List.copyOf(devDefaults);
        warnings = List.copyOf(warnings);
    }

    /** The same settings with demo mode (the seeded demo user and client, and the playground) on. */
    public ServerConfig withDemo() {
        return new ServerConfig(issuer, host, port, trustedProxies, database, encryptionKey, signingKeys, tokens, sessionTtl, loginThrottle,
                housekeeping, signupEnabled, errors, device, registration, par, requestObjects, dpop, clientAssertions, api, broadcast, mail, log, management, devDefaults, true, warnings);
    }

    /** The issuer without a trailing slash, the base of every endpoint URL. */
    public String issuerBase() {
        String s = issuer.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Cookies get the Secure attribute whenever the issuer is served over https. */
    public boolean secureCookies() { return "https".equals(issuer.getScheme()); }

    /** Development: an http issuer, which production never has (it is announced as a development default). */
    public boolean development() { return !"https".equals(issuer.getScheme()); }

    /**
     * {@code sqliteSynchronous} is SQLite's sync level; PostgreSQL ignores it. The timeouts bound
     * every wait on the database: for a connection, for a statement (on SQLite, for another
     * process's write lock), and, at start, for a PostgreSQL that does not answer yet.
     */
    public record DatabaseConfig(String jdbcUrl, String username, String password, int poolSize, SqliteSynchronous sqliteSynchronous,
            Duration connectTimeout, Duration statementTimeout, Duration startWait) {
        public boolean sqlite() { return jdbcUrl.startsWith("jdbc:sqlite:"); }
    }

    /**
     * The file of the key that encrypts the keys the database holds: the one {@code keys.encryption_key_file}
     * names ({@code given}), else {@code encryption.key} in the data folder (the SQLite database's
     * folder; {@code data} on PostgreSQL), which the server makes on its first start.
     */
    public record EncryptionKeyFile(Path path, boolean given) {}

    /**
     * Signing-key rotation: how often a node rereads the keys' rows, how long a new key is
     * published before it signs, and how often housekeeping makes a new one (zero: never).
     */
    public record SigningKeysConfig(Duration rereadInterval, Duration activationDelay, Duration rotationInterval) {
        public boolean rotatesAutomatically() { return !rotationInterval.isZero(); }
    }

    /**
     * When SQLite syncs its write-ahead log: at every commit (FULL: a committed transaction
     * survives a power loss), or only at checkpoints (NORMAL: it survives a killed process, but
     * the last commits may be lost when the machine stops).
     */
    public enum SqliteSynchronous { FULL, NORMAL }

    public record TokenConfig(Duration accessTokenTtl, Duration refreshTokenTtl, Duration authorizationCodeTtl) {}

    /** How often expired rows are deleted, and how long audit events are kept. */
    public record HousekeepingConfig(Duration interval, Duration auditRetention) {}

    /**
     * The device flow (RFC 8628): how long a device code lives, the polling interval it starts with,
     * the wrong user codes allowed per session and per address within the sign-in failure window,
     * and the device authorization requests allowed per address and per client in each such window.
     */
    public record DeviceConfig(Duration codeTtl, int intervalSeconds, int maxFailuresPerSession, int maxFailuresPerAddress,
            int maxAuthorizationsPerAddress, int maxAuthorizationsPerClient) {}

    /**
     * Dynamic client registration (RFC 7591): {@code open} lets clients register without an
     * initial access token; requests are limited per address per sign-in failure window.
     */
    public record RegistrationConfig(boolean open, int maxRequestsPerAddress) {}

    /**
     * Pushed authorization requests (RFC 9126): {@code required} refuses every authorization
     * request that was not pushed; {@code requestUriTtl} is how long a pushed one waits to be opened.
     */
    public record ParConfig(boolean required, Duration requestUriTtl) {}

    /**
     * Request objects (RFC 9101): {@code required} accepts only authorization requests in a signed
     * request object (§10.5); {@code byReference} fetches those a client names by an https {@code request_uri}.
     */
    public record RequestObjectsConfig(boolean required, boolean byReference) {}

    /** DPoP (RFC 9449): {@code nonceRequired} makes every proof carry a nonce this server gave (§8, §9). */
    public record DpopConfig(boolean nonceRequired) {}

    /**
     * JWT client authentication (RFC 7523): {@code tokenEndpointAudience} also accepts the token
     * endpoint's URL as an assertion's audience, besides the issuer.
     */
    public record ClientAssertionsConfig(boolean tokenEndpointAudience) {}

    /**
     * The Streaming API: its base path (no trailing slash), its own port (0: the server's port), and
     * the requests allowed per access token and per client address within each fixed window.
     */
    public record ApiConfig(String basePath, int port, int rateLimitPerToken, int rateLimitPerAddress, Duration rateLimitWindow) {
        public boolean ownPort() { return port != 0; }
    }

    /**
     * Where broadcasters send their streams, as the ingest settings announce it, and the refused
     * publishes allowed per address within the sign-in failure window.
     */
    public record BroadcastConfig(String rtmpUrl, String rtmpsUrl, int maxRefusalsPerAddress) {}

    /**
     * Outgoing mail: how it leaves ({@link MailMode}), the SMTP server and sender, and how many
     * link mails one account may be sent, and recovery requests one address may make, per sign-in
     * failure window.
     */
    public record MailConfig(MailMode mode, String host, int port, String username, String password, String from, boolean starttls,
            int maxLinksPerAccount, int maxRecoveryRequestsPerAddress) {
        /** Whether mail leaves at all: email verification, email changes and recovery need it. */
        public boolean available() { return mode != MailMode.OFF; }

        /** Without the password, which must not reach a log through a record's printout. */
        @Override
        public String toString() {
            return "MailConfig[mode=" + mode + ", host=" + host + ", port=" + port + ", username=" + username + ", from=" + from
                    + ", starttls=" + starttls + "]";
        }
    }

    /** The log's format ({@link LogFormat}) and whether each request gets an access line. */
    public record LogConfig(LogFormat format, boolean access) {}

    /** Where {@code /metrics} and the health checks are served apart from everything else; no such port when {@code port} is 0. */
    public record ManagementConfig(String host, int port) {
        public boolean enabled() { return port != 0; }
    }

    /** A line of text per event, or a JSON object per line for a log collector. */
    public enum LogFormat { TEXT, JSON }

    /**
     * How mail leaves: over SMTP ({@code mail.host} set); into the log, in development (an http
     * issuer) without an SMTP server; or not at all, in production without one.
     */
    public enum MailMode { SMTP, LOG, OFF }

    /**
     * Failed sign-ins allowed within the window: for one typed name from one address, for one name
     * from all addresses (a ceiling that holds only addresses with failures of their own), and from
     * one address.
     */
    public record LoginThrottleConfig(int maxFailuresPerAccountAndAddress, int maxFailuresPerAccount, int maxFailuresPerAddress,
            Duration window) {}
}
