package dev.castgate.config;

import static dev.castgate.config.SettingParsers.addressRanges;
import static dev.castgate.config.SettingParsers.atMost;
import static dev.castgate.config.SettingParsers.between;
import static dev.castgate.config.SettingParsers.duration;
import static dev.castgate.config.SettingParsers.durationOrZero;
import static dev.castgate.config.SettingParsers.issuer;
import static dev.castgate.config.SettingParsers.oneOf;
import static dev.castgate.config.SettingParsers.optionalFile;
import static dev.castgate.config.SettingParsers.startsWith;
import static dev.castgate.config.SettingParsers.text;
import static dev.castgate.config.SettingParsers.trueOrFalse;
import static dev.castgate.config.SettingParsers.wholeNumber;
import static dev.castgate.config.SettingParsers.within;

import dev.castgate.error.ErrorMode;
import dev.castgate.http.AddressRange;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every setting, in one table: loading, validation and the README's configuration table (checked
 * by a test, descriptions included) all follow it. The order is the README's, and the order in
 * which problems are reported; a check may look only at settings above it.
 */
final class Settings {
    private Settings() {}

    /** A sender: an address, or a display name with the address in angle brackets; no line breaks. */
    private static final String ADDRESS = "[^@<>\\s]+@[^@<>\\s]+\\.[^@<>\\s]+";
    private static final Pattern MAIL_ADDRESS = Pattern.compile(ADDRESS + "|[^<>\\r\\n]*<" + ADDRESS + ">");

    static final Setting<Integer> PORT = setting("port", "8080", wholeNumber(), "port to listen on", between(0, 65535));
    static final Setting<String> HOST = setting("host", "127.0.0.1", text(), "address to listen on; `0.0.0.0` for all",
            Setting.Check.that(host -> !host.isBlank(), host -> "must not be empty"));
    /** Empty by default: the issuer is then {@code http://localhost:PORT}, announced as a development default. */
    static final Setting<Optional<URI>> ISSUER = setting("issuer", "", issuer(),
            "the issuer URL; use https in production (cookies then get `Secure` and the `__Host-` prefix, and every answer "
                    + "carries `Strict-Transport-Security: max-age=31536000`, without `includeSubDomains`)");
    static final Setting<List<AddressRange>> HTTP_TRUSTED_PROXIES = setting("http.trusted_proxies", "", addressRanges(),
            "addresses or CIDR ranges (IPv4 or IPv6, separated by commas) of the proxies in front of the server, whose "
                    + "`X-Forwarded-For` or `Forwarded` names the client (see Behind a proxy)");

    static final Setting<String> DATABASE_URL = setting("database.url", "jdbc:sqlite:data/castgate.db", text(),
            "`jdbc:sqlite:FILE` or `jdbc:postgresql://HOST:PORT/DB`",
            Setting.Check.that(url -> url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"),
                    url -> "must be a jdbc:sqlite: or jdbc:postgresql: URL, not '" + url + "'"));
    static final Setting<String> DATABASE_USERNAME = setting("database.username", "", text(), "database user");
    static final Setting<String> DATABASE_PASSWORD = setting("database.password", "", text(), "database password");
    static final Setting<Integer> DATABASE_POOL_SIZE = setting("database.pool_size", "10", wholeNumber(),
            "connections per node, at least 2: the writer of group commit keeps one", between(2, 500));
    static final Setting<ServerConfig.SqliteSynchronous> DATABASE_SQLITE_SYNCHRONOUS = setting("database.sqlite_synchronous",
            "full", oneOf(ServerConfig.SqliteSynchronous.class),
            "SQLite only: `full` syncs at every commit, so an answered token survives a power loss; `normal` syncs at "
                    + "checkpoints and survives only a killed process (see How tokens are written)");
    static final Setting<Duration> DATABASE_CONNECT_TIMEOUT = setting("database.connect_timeout", "2s", duration(),
            "how long a request waits for a database connection, and a new connection for the database to answer; "
                    + "past it the request is answered 503 (see While the database is away)",
            within(Duration.ofSeconds(1), Duration.ofSeconds(60), "must be between 1s and 60s"));
    static final Setting<Duration> DATABASE_STATEMENT_TIMEOUT = setting("database.statement_timeout", "10s", duration(),
            "how long a statement may run (PostgreSQL's `statement_timeout`; a connection silent for this and "
                    + "`database.connect_timeout` more is given up); on SQLite, how long a write waits for another process's lock",
            within(Duration.ofSeconds(1), Duration.ofHours(1), "must be between 1s and 1h"));
    static final Setting<Duration> DATABASE_START_WAIT = setting("database.start_wait", "60s", duration(),
            "how long `serve` waits at start for a PostgreSQL that does not answer, trying again with backoff, before it "
                    + "exits; it does not listen meanwhile",
            within(Duration.ofSeconds(1), Duration.ofHours(1), "must be between 1s and 1h"));

    /** Empty by default: {@code encryption.key} in the data folder, announced as a development default on PostgreSQL. */
    static final Setting<Optional<Path>> KEYS_ENCRYPTION_KEY_FILE = setting("keys.encryption_key_file", "", optionalFile(),
            "the file holding the key that encrypts the signing keys and server secrets in the database (one line: 32 random "
                    + "bytes in base64); unset, `encryption.key` in the SQLite database's folder, made on first start; required "
                    + "with PostgreSQL and an https issuer (see Keys at rest)");

    static final Setting<Duration> KEYS_REREAD_INTERVAL = setting("keys.reread_interval", "10s", duration(),
            "how often each node rereads the signing keys' rows, to publish, sign with and retire keys that another node or "
                    + "the command line changed; on PostgreSQL a change is also announced and taken at once, so this is the fallback "
                    + "(1s to 10m; see Signing keys)",
            within(Duration.ofSeconds(1), Duration.ofMinutes(10), "must be between 1s and 10m"));
    static final Setting<Duration> KEYS_ACTIVATION_DELAY = setting("keys.activation_delay", "10m", durationOrZero(),
            "how long a new signing key is published before it signs, so relying parties have fetched it first; `0s` signs "
                    + "at once (at most 7d)",
            atMost(Duration.ofDays(7), "must be at most 7d"));
    static final Setting<Duration> KEYS_ROTATION_INTERVAL = setting("keys.rotation_interval", "0s", durationOrZero(),
            "make a new signing key of each algorithm this long after the last one, on the housekeeping schedule; `0s`: "
                    + "never (rotate with `castgate keys rotate`)",
            (interval, earlier) -> earlier.find(KEYS_ACTIVATION_DELAY)
                    .filter(delay -> !interval.isZero() && interval.compareTo(delay) <= 0)
                    .map(delay -> "must be 0s (off) or longer than keys.activation_delay"));

    static final Setting<Duration> ACCESS_TOKEN_TTL = setting("tokens.access_token_ttl", "86400s", duration(),
            "access token lifetime (a client may set its own)");
    static final Setting<Duration> REFRESH_TOKEN_TTL = setting("tokens.refresh_token_ttl", "30d", duration(),
            "refresh token lifetime, counted from each rotation");
    static final Setting<Duration> AUTHORIZATION_CODE_TTL = setting("tokens.authorization_code_ttl", "60s", duration(),
            "authorization code lifetime (at most 10m)",
            // RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED."
            atMost(Duration.ofMinutes(10), "must be at most 10m (RFC 6749 §4.1.2)"));
    static final Setting<Duration> SESSION_TTL = setting("session.ttl", "7d", duration(), "browser sign-in lifetime");

    static final Setting<Integer> LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = setting("login.max_failures_per_account_and_address",
            "5", wholeNumber(), "failed sign-ins for one username or email from one address per window; then that address is "
                    + "refused for that name", between(1, 1000));
    static final Setting<Integer> LOGIN_MAX_FAILURES_PER_ACCOUNT = setting("login.max_failures_per_account", "20", wholeNumber(),
            "failed sign-ins for one username or email from all addresses per window; then only an address with no failed "
                    + "sign-in in the window may try it (see Sign-in throttling)", between(1, 1000));
    static final Setting<Integer> LOGIN_MAX_FAILURES_PER_ADDRESS = setting("login.max_failures_per_address", "20", wholeNumber(),
            "failed sign-ins per address per window", between(1, 100000));
    static final Setting<Duration> LOGIN_FAILURE_WINDOW = setting("login.failure_window", "15m", duration(),
            "the throttling window");

    static final Setting<Duration> HOUSEKEEPING_INTERVAL = setting("housekeeping.interval", "10m", duration(),
            "how often expired and revoked rows are deleted");
    static final Setting<Duration> AUDIT_RETENTION = setting("audit.retention", "90d", duration(),
            "how long audit events are kept");
    static final Setting<Boolean> SIGNUP_ENABLED = setting("signup.enabled", "true", trueOrFalse(),
            "offer the sign-up page; `false` removes the link and answers `/signup` with 404");
    static final Setting<Boolean> DEMO = setting("demo", "false", trueOrFalse(),
            "demo mode: seed the demo user and client and serve `/playground` (see Playground); `serve --demo` turns it on too");
    static final Setting<ErrorMode> ERRORS = setting("errors", "standard", oneOf(ErrorMode.class),
            "HTTP statuses of OAuth errors: `standard` (RFC 6749) or `ibm` (the original service's, see below)");

    static final Setting<Duration> DEVICE_CODE_TTL = setting("device.code_ttl", "600s", duration(),
            "how long a device code and its user code live (60s to 1h)",
            within(Duration.ofSeconds(60), Duration.ofHours(1), "must be between 60s and 1h"));
    static final Setting<Duration> DEVICE_INTERVAL = setting("device.interval", "5s", duration(),
            "the polling interval a device is given (1s to 60s); each `slow_down` adds 5s for that device code",
            within(Duration.ofSeconds(1), Duration.ofSeconds(60), "must be between 1s and 60s"));
    static final Setting<Integer> DEVICE_MAX_FAILURES_PER_SESSION = setting("device.max_failures_per_session", "5", wholeNumber(),
            "wrong user codes per browser session per `login.failure_window`", between(1, 1000));
    static final Setting<Integer> DEVICE_MAX_FAILURES_PER_ADDRESS = setting("device.max_failures_per_address", "20", wholeNumber(),
            "wrong user codes per address per `login.failure_window`", between(1, 100000));
    static final Setting<Integer> DEVICE_MAX_AUTHORIZATIONS_PER_ADDRESS = setting("device.max_authorizations_per_address", "30",
            wholeNumber(), "device authorization requests per address per `login.failure_window`; then `429` with `Retry-After` "
                    + "(see Device flow)", between(1, 10_000_000));
    static final Setting<Integer> DEVICE_MAX_AUTHORIZATIONS_PER_CLIENT = setting("device.max_authorizations_per_client", "1000",
            wholeNumber(), "device authorization requests per client per `login.failure_window`, counting only requests within "
                    + "their address's limit", between(1, 10_000_000));

    static final Setting<Boolean> REGISTRATION_OPEN = setting("registration.open", "false", trueOrFalse(),
            "let any client register itself at `/oauth2/register` without an initial access token (see Dynamic client registration)");
    static final Setting<Integer> REGISTRATION_MAX_REQUESTS_PER_ADDRESS = setting("registration.max_requests_per_address", "20",
            wholeNumber(), "registration requests (`POST /oauth2/register`, with or without a token) per address per "
                    + "`login.failure_window`; then `429` with `Retry-After`", between(1, 10_000_000));

    static final Setting<Boolean> PAR_REQUIRED = setting("par.required", "false", trueOrFalse(),
            "accept authorization requests only through `/oauth2/par` (see Pushed authorization requests); a client may also "
                    + "require it for itself");
    static final Setting<Duration> PAR_REQUEST_URI_TTL = setting("par.request_uri_ttl", "60s", duration(),
            "how long a pushed request's `request_uri` may be opened at `/authorize` (5s to 10m)",
            // RFC 9126 §2.2: short-lived, "e.g., between 5 and 600 seconds".
            within(Duration.ofSeconds(5), Duration.ofMinutes(10), "must be 5s to 10m (RFC 9126 §2.2)"));

    static final Setting<Boolean> REQUEST_OBJECTS_REQUIRED = setting("request_objects.required", "false", trueOrFalse(),
            "accept authorization requests only in a signed request object, by value or pushed (see Request objects); a client "
                    + "may also require it for itself");
    static final Setting<Boolean> REQUEST_OBJECTS_BY_REFERENCE = setting("request_objects.by_reference", "false", trueOrFalse(),
            "fetch a request object from the `request_uri` a client names at `/authorize` (https, 3 s, 64 KiB, no redirects; "
                    + "see Request objects); off, such a `request_uri` is refused with `request_uri_not_supported`");

    static final Setting<Boolean> DPOP_REQUIRE_NONCE = setting("dpop.require_nonce", "false", trueOrFalse(),
            "make every DPoP proof, at the token and PAR endpoints and at userinfo and the Streaming API, carry a nonce the "
                    + "server gave in a `DPoP-Nonce` header (RFC 9449 §8, §9; see DPoP)");

    static final Setting<Boolean> CLIENT_ASSERTIONS_TOKEN_ENDPOINT_AUDIENCE = setting("client_assertions.token_endpoint_audience", "false",
            trueOrFalse(), "also accept the token endpoint's URL as the `aud` of a client assertion (`private_key_jwt`, "
                    + "`client_secret_jwt`), as RFC 7523 §3 and OpenID Connect Core §9 suggested, for clients written to them; off, "
                    + "only the issuer is (see JWT client authentication)");

    static final Setting<String> API_BASE_PATH = setting("api.base_path", "/api", text(),
            "where the Streaming API is served (no trailing slash)",
            Setting.Check.that(path -> path.matches("(/[A-Za-z0-9._~-]+)+"),
                    path -> "must be a path such as /api (no trailing slash), not '" + path + "'"));
    static final Setting<Integer> API_PORT = setting("api.port", "0", wholeNumber(),
            "a port of its own for the Streaming API (on `host`); `0` serves it on `port` with everything else",
            between(0, 65535),
            (apiPort, earlier) -> earlier.find(PORT).filter(port -> apiPort != 0 && apiPort.equals(port))
                    .map(port -> "must differ from port (0 serves the API on port)"));
    static final Setting<Integer> API_RATE_LIMIT_PER_TOKEN = setting("api.rate_limit.per_token", "600", wholeNumber(),
            "Streaming API requests per access token per window", between(1, 10_000_000));
    static final Setting<Integer> API_RATE_LIMIT_PER_ADDRESS = setting("api.rate_limit.per_address", "1200", wholeNumber(),
            "Streaming API requests per client address per window", between(1, 10_000_000));
    static final Setting<Duration> API_RATE_LIMIT_WINDOW = setting("api.rate_limit.window", "60s", duration(),
            "the fixed rate-limit window (1s to 1h)",
            within(Duration.ofSeconds(1), Duration.ofHours(1), "must be between 1s and 1h"));

    static final Setting<String> BROADCAST_RTMP_URL = setting("broadcast.rtmp_url", "rtmp://127.0.0.1:1935/live", text(),
            "the RTMP ingest URL the ingest settings announce", startsWith("rtmp://", "must be an rtmp:// URL"));
    static final Setting<String> BROADCAST_RTMPS_URL = setting("broadcast.rtmps_url", "rtmps://127.0.0.1:443/live", text(),
            "the RTMPS ingest URL the ingest settings announce", startsWith("rtmps://", "must be an rtmps:// URL"));
    static final Setting<Integer> BROADCAST_MAX_REFUSALS_PER_ADDRESS = setting("broadcast.max_refusals_per_address", "20",
            wholeNumber(), "refused publishes (wrong key or device password) per address per `login.failure_window`; then that "
                    + "address's publishes are refused unchecked (see Ingest settings and the publish check)", between(1, 100000));

    static final Setting<String> MAIL_HOST = setting("mail.host", "", text(),
            "the SMTP server that sends verification and recovery mail; empty: none, and an http issuer (development) writes "
                    + "each mail to the log instead (see Mail)");
    static final Setting<Integer> MAIL_PORT = setting("mail.port", "587", wholeNumber(), "the SMTP server's port (587: submission)",
            between(1, 65535));
    static final Setting<String> MAIL_USERNAME = setting("mail.username", "", text(), "SMTP user name; empty: no authentication");
    static final Setting<String> MAIL_PASSWORD = setting("mail.password", "", text(), "SMTP password");
    static final Setting<String> MAIL_FROM = setting("mail.from", "", text(),
            "the sender, `castgate@example.com` or `Example <castgate@example.com>`; required with `mail.host`",
            Setting.Check.that(from -> from.isEmpty() || MAIL_ADDRESS.matcher(from).matches(),
                    from -> "must be an address such as castgate@example.com or Example <castgate@example.com>, not '" + from + "'"),
            (from, earlier) -> earlier.find(MAIL_HOST).filter(host -> !host.isBlank() && from.isEmpty())
                    .map(host -> "must be set when mail.host is"));
    static final Setting<Boolean> MAIL_STARTTLS = setting("mail.starttls", "true", trueOrFalse(),
            "require STARTTLS, with a certificate valid for `mail.host`, before signing in and sending; `false` only for a relay "
                    + "on the same host or a test server");
    static final Setting<Integer> MAIL_MAX_LINKS_PER_ACCOUNT = setting("mail.max_links_per_account", "5", wholeNumber(),
            "verification mails, and apart from them recovery mails, sent to one account per `login.failure_window`; past it "
                    + "Send again is refused and recovery requests send nothing", between(1, 1000));
    static final Setting<Integer> RECOVERY_MAX_REQUESTS_PER_ADDRESS = setting("recovery.max_requests_per_address", "10",
            wholeNumber(), "\"Forgot password?\" requests per address per `login.failure_window`; then that address is refused "
                    + "until the window passes", between(1, 100000));

    static final Setting<ServerConfig.LogFormat> LOG_FORMAT = setting("log.format", "text", oneOf(ServerConfig.LogFormat.class),
            "`text`: a line per event; `json`: a JSON object per line, with the request id and the access log's fields as "
                    + "keys (see Logs)");
    static final Setting<Boolean> LOG_ACCESS = setting("log.access", "true", trueOrFalse(),
            "a line per request in the logger `castgate.access`: method, path, status, duration, address, client (see Logs)");

    static final Setting<String> MANAGEMENT_HOST = setting("management.host", "127.0.0.1", text(),
            "address the management port listens on; keep it off the public network (see Metrics)",
            Setting.Check.that(host -> !host.isBlank(), host -> "must not be empty"));
    static final Setting<Integer> MANAGEMENT_PORT = setting("management.port", "0", wholeNumber(),
            "a port of its own for `/metrics` (Prometheus) and the health checks; `0`: none (see Metrics)", between(0, 65535));

    /** The table, in order. */
    static final List<Setting<?>> ALL = List.of(PORT, HOST, ISSUER, HTTP_TRUSTED_PROXIES,
            DATABASE_URL, DATABASE_USERNAME, DATABASE_PASSWORD, DATABASE_POOL_SIZE, DATABASE_SQLITE_SYNCHRONOUS,
            DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT, DATABASE_START_WAIT, KEYS_ENCRYPTION_KEY_FILE,
            KEYS_REREAD_INTERVAL, KEYS_ACTIVATION_DELAY, KEYS_ROTATION_INTERVAL,
            ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, AUTHORIZATION_CODE_TTL, SESSION_TTL,
            LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_ADDRESS,
            LOGIN_FAILURE_WINDOW,
            HOUSEKEEPING_INTERVAL, AUDIT_RETENTION, SIGNUP_ENABLED, DEMO, ERRORS,
            DEVICE_CODE_TTL, DEVICE_INTERVAL, DEVICE_MAX_FAILURES_PER_SESSION, DEVICE_MAX_FAILURES_PER_ADDRESS,
            DEVICE_MAX_AUTHORIZATIONS_PER_ADDRESS, DEVICE_MAX_AUTHORIZATIONS_PER_CLIENT,
            REGISTRATION_OPEN, REGISTRATION_MAX_REQUESTS_PER_ADDRESS, PAR_REQUIRED, PAR_REQUEST_URI_TTL, REQUEST_OBJECTS_REQUIRED, REQUEST_OBJECTS_BY_REFERENCE, DPOP_REQUIRE_NONCE,
            CLIENT_ASSERTIONS_TOKEN_ENDPOINT_AUDIENCE,
            API_BASE_PATH, API_PORT, API_RATE_LIMIT_PER_TOKEN, API_RATE_LIMIT_PER_ADDRESS, API_RATE_LIMIT_WINDOW,
            BROADCAST_RTMP_URL, BROADCAST_RTMPS_URL, BROADCAST_MAX_REFUSALS_PER_ADDRESS,
            MAIL_HOST, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_FROM, MAIL_STARTTLS, MAIL_MAX_LINKS_PER_ACCOUNT,
            RECOVERY_MAX_REQUESTS_PER_ADDRESS, LOG_FORMAT, LOG_ACCESS, MANAGEMENT_HOST, MANAGEMENT_PORT);

    @SafeVarargs
    private static <T> Setting<T> setting(String key, String defaultValue, Setting.Parser<T> parser, String description,
            Setting.Check<T>... checks) {
        return new Setting<>(key, defaultValue, parser, List.of(checks), description);
    }
}
