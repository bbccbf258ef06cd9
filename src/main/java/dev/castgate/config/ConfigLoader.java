package dev.castgate.config;

import dev.castgate.error.ErrorMode;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Builds {@link ServerConfig} from an optional properties file and {@code CASTGATE_*} environment
 * variables (the environment wins). The only code that reads the environment. Each setting's key
 * in the file is its environment name without the prefix, lower-cased, with dots for the first
 * underscore: {@code CASTGATE_DATABASE_URL} is {@code database.url}.
 */
public final class ConfigLoader {
    /** Every setting, with its default; README.md documents the same list. */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("issuer", "");
        DEFAULTS.put("host", "127.0.0.1");
        DEFAULTS.put("port", "8080");
        DEFAULTS.put("database.url", "jdbc:sqlite:data/castgate.db");
        DEFAULTS.put("database.username", "");
        DEFAULTS.put("database.password", "");
        DEFAULTS.put("database.pool_size", "10");
        DEFAULTS.put("database.sqlite_synchronous", "full");
        DEFAULTS.put("tokens.access_token_ttl", "86400s");
        DEFAULTS.put("tokens.refresh_token_ttl", "30d");
        DEFAULTS.put("tokens.authorization_code_ttl", "60s");
        DEFAULTS.put("session.ttl", "7d");
        DEFAULTS.put("login.max_failures_per_account", "5");
        DEFAULTS.put("login.max_failures_per_address", "20");
        DEFAULTS.put("login.failure_window", "15m");
        DEFAULTS.put("housekeeping.interval", "10m");
        DEFAULTS.put("audit.retention", "90d");
        DEFAULTS.put("signup.enabled", "true");
        DEFAULTS.put("errors", "standard");
        DEFAULTS.put("device.code_ttl", "600s");
        DEFAULTS.put("device.interval", "5s");
        DEFAULTS.put("device.max_failures_per_session", "5");
        DEFAULTS.put("device.max_failures_per_address", "20");
        DEFAULTS.put("api.base_path", "/api");
        DEFAULTS.put("api.port", "0");
        DEFAULTS.put("api.rate_limit.per_token", "600");
        DEFAULTS.put("api.rate_limit.per_address", "1200");
        DEFAULTS.put("api.rate_limit.window", "60s");
        DEFAULTS.put("broadcast.rtmp_url", "rtmp://127.0.0.1:1935/live");
        DEFAULTS.put("broadcast.rtmps_url", "rtmps://127.0.0.1:443/live");
        DEFAULTS.put("demo", "false");
    }

    private ConfigLoader() {}

    /** Loads from the process environment, and from the file {@code CASTGATE_CONFIG} or {@code configFile} names. */
    public static ServerConfig load(Optional<Path> configFile) {
        return load(System.getenv(), configFile);
    }

    public static ServerConfig load(Map<String, String> env, Optional<Path> configFile) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> given = new LinkedHashMap<>();

        Optional<Path> file = configFile.or(() -> Optional.ofNullable(env.get("CASTGATE_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
        file.ifPresent(path -> readFile(path, given, problems));
        for (String key : DEFAULTS.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) given.put(key, fromEnv.trim());
        }
        values.putAll(given);

        List<String> devDefaults = new ArrayList<>();
        int port = parseInt(values, "port", 0, 65535, problems);
        String host = values.get("host");
        if (host.isBlank()) problems.add("host must not be empty");

        URI issuer = parseIssuer(values.get("issuer"), port, devDefaults, problems);

        String jdbcUrl = values.get("database.url");
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            problems.add("database.url must be a jdbc:sqlite: or jdbc:postgresql: URL, not '" + jdbcUrl + "'");
        }
        if (!given.containsKey("database.url")) devDefaults.add("embedded SQLite database in " + sqlitePath(jdbcUrl));
        int poolSize = parseInt(values, "database.pool_size", 1, 500, problems);
        ServerConfig.SqliteSynchronous synchronous = switch (values.get("database.sqlite_synchronous").toLowerCase(Locale.ROOT)) {
            case "full" -> ServerConfig.SqliteSynchronous.FULL;
            case "normal" -> ServerConfig.SqliteSynchronous.NORMAL;
            default -> {
                problems.add("database.sqlite_synchronous must be full or normal, not '" + values.get("database.sqlite_synchronous") + "'");
                yield null;
            }
        };

        Duration accessTtl = parseDuration(values, "tokens.access_token_ttl", problems);
        Duration refreshTtl = parseDuration(values, "tokens.refresh_token_ttl", problems);
        Duration codeTtl = parseDuration(values, "tokens.authorization_code_ttl", problems);
        if (codeTtl != null && codeTtl.compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("tokens.authorization_code_ttl must be at most 10m (RFC 6749 §4.1.2)");
        }
        Duration sessionTtl = parseDuration(values, "session.ttl", problems);
        int perAccount = parseInt(values, "login.max_failures_per_account", 1, 1000, problems);
        int perAddress = parseInt(values, "login.max_failures_per_address", 1, 100000, problems);
        Duration window = parseDuration(values, "login.failure_window", problems);
        Duration housekeepingInterval = parseDuration(values, "housekeeping.interval", problems);
        Duration auditRetention = parseDuration(values, "audit.retention", problems);
        boolean signupEnabled = parseBoolean(values, "signup.enabled", problems);
        boolean demo = parseBoolean(values, "demo", problems);
        ErrorMode errors = null;
        try {
            errors = ErrorMode.parse(values.get("errors"));
        } catch (IllegalArgumentException e) {
            problems.add("errors " + e.getMessage());
        }
        Duration deviceCodeTtl = parseDuration(values, "device.code_ttl", problems);
        if (deviceCodeTtl != null && (deviceCodeTtl.toSeconds() < 60 || deviceCodeTtl.compareTo(Duration.ofHours(1)) > 0)) {
            problems.add("device.code_ttl must be between 60s and 1h");
        }
        Duration deviceInterval = parseDuration(values, "device.interval", problems);
        if (deviceInterval != null && (deviceInterval.toSeconds() < 1 || deviceInterval.toSeconds() > 60)) {
            problems.add("device.interval must be between 1s and 60s");
        }
        int perSession = parseInt(values, "device.max_failures_per_session", 1, 1000, problems);
        int devicePerAddress = parseInt(values, "device.max_failures_per_address", 1, 100000, problems);

        String apiBase = values.get("api.base_path");
        if (!apiBase.matches("(/[A-Za-z0-9._~-]+)+")) {
            problems.add("api.base_path must be a path such as /api (no trailing slash), not '" + apiBase + "'");
        }
        int apiPort = parseInt(values, "api.port", 0, 65535, problems);
        if (apiPort != 0 && apiPort == port) problems.add("api.port must differ from port (0 serves the API on port)");
        int perToken = parseInt(values, "api.rate_limit.per_token", 1, 10_000_000, problems);
        int perApiAddress = parseInt(values, "api.rate_limit.per_address", 1, 10_000_000, problems);
        Duration rateWindow = parseDuration(values, "api.rate_limit.window", problems);
        if (rateWindow != null && (rateWindow.toSeconds() < 1 || rateWindow.compareTo(Duration.ofHours(1)) > 0)) {
            problems.add("api.rate_limit.window must be between 1s and 1h");
        }
        String rtmpUrl = values.get("broadcast.rtmp_url");
        if (!rtmpUrl.startsWith("rtmp://")) problems.add("broadcast.rtmp_url must be an rtmp:// URL, not '" + rtmpUrl + "'");
        String rtmpsUrl = values.get("broadcast.rtmps_url");
        if (!rtmpsUrl.startsWith("rtmps://")) problems.add("broadcast.rtmps_url must be an rtmps:// URL, not '" + rtmpsUrl + "'");

        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new ServerConfig(issuer, host, port,
                new ServerConfig.DatabaseConfig(jdbcUrl, values.get("database.username"), values.get("database.password"), poolSize,
                        synchronous),
                new ServerConfig.TokenConfig(accessTtl, refreshTtl, codeTtl),
                sessionTtl,
                new ServerConfig.LoginThrottleConfig(perAccount, perAddress, window),
                new ServerConfig.HousekeepingConfig(housekeepingInterval, auditRetention),
                signupEnabled,
                errors,
                new ServerConfig.DeviceConfig(deviceCodeTtl, deviceInterval == null ? 0 : (int) deviceInterval.toSeconds(),
                        perSession, devicePerAddress),
                new ServerConfig.ApiConfig(apiBase, apiPort, perToken, perApiAddress, rateWindow),
                new ServerConfig.BroadcastConfig(rtmpUrl, rtmpsUrl),
                devDefaults,
                demo);
    }

    public static String envName(String key) {
        return "CASTGATE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The file path of a {@code jdbc:sqlite:} URL, for creating its folder. */
    public static String sqlitePath(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static void readFile(Path path, Map<String, String> into, List<String> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            problems.add("cannot read configuration file " + path + ": " + e.getMessage());
            return;
        }
        for (String key : properties.stringPropertyNames()) {
            if (!DEFAULTS.containsKey(key)) {
                problems.add("unknown setting '" + key + "' in " + path);
            } else {
                into.put(key, properties.getProperty(key).trim());
            }
        }
    }

    private static URI parseIssuer(String raw, int port, List<String> devDefaults, List<String> problems) {
        if (raw.isBlank()) {
            devDefaults.add("http issuer http://localhost:" + port + " (set CASTGATE_ISSUER to an https URL in production)");
            return URI.create("http://localhost:" + port);
        }
        try {
            URI uri = new URI(raw);
            // OIDC Discovery §3 and RFC 8414 §2: an https URL with no query or fragment.
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                problems.add("issuer must be an http or https URL, not '" + raw + "'");
            } else if (uri.getHost() == null) {
                problems.add("issuer must name a host: '" + raw + "'");
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add("issuer must not have a query or fragment: '" + raw + "'");
            } else if ("http".equals(uri.getScheme())) {
                devDefaults.add("http issuer " + raw + " (use https in production)");
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add("issuer is not a valid URL: '" + raw + "'");
            return null;
        }
    }

    private static int parseInt(Map<String, String> values, String key, int min, int max, List<String> problems) {
        String raw = values.get(key);
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                problems.add(key + " must be between " + min + " and " + max + ", not " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, not '" + raw + "'");
            return min;
        }
    }

    private static boolean parseBoolean(Map<String, String> values, String key, List<String> problems) {
        String raw = values.get(key).toLowerCase(Locale.ROOT);
        if (raw.equals("true")) return true;
        if (raw.equals("false")) return false;
        problems.add(key + " must be true or false, not '" + values.get(key) + "'");
        return false;
    }

    private static Duration parseDuration(Map<String, String> values, String key, List<String> problems) {
        try {
            return Durations.parse(values.get(key));
        } catch (IllegalArgumentException e) {
            problems.add(key + " " + e.getMessage());
            return null;
        }
    }
}
