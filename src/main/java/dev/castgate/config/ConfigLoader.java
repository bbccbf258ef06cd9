package dev.castgate.config;

import static dev.castgate.config.Settings.*;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds {@link ServerConfig} from an optional properties file and {@code CASTGATE_*} environment
 * variables (the environment wins). The only code that reads the environment. The settings, their
 * defaults and their checks are the table in {@link Settings}; this class reads their text, runs
 * the table over it, and reports every problem at once.
 */
public final class ConfigLoader {
    private static final Set<String> KEYS = Settings.ALL.stream().map(Setting::key).collect(Collectors.toUnmodifiableSet());

    private ConfigLoader() {}

    /** Loads from the process environment, and from the file {@code CASTGATE_CONFIG} or {@code configFile} names. */
    public static ServerConfig load(Optional<Path> configFile) {
        return load(System.getenv(), configFile);
    }

    /** The same, with settings given on the command line, which win over the environment (see below). */
    public static ServerConfig load(Optional<Path> configFile, Map<String, CommandLineSetting> options) {
        return load(System.getenv(), configFile, options);
    }

    public static ServerConfig load(Map<String, String> env, Optional<Path> configFile) {
        return load(env, configFile, Map.of());
    }

    /**
     * The same, with settings given on the command line ({@code serve --port 9000}): {@code options}
     * maps each option as typed ({@code --port}) to its setting's file key ({@code port}) and value.
     * They win over the environment, which wins over the file, which wins over the default; a
     * problem with one is reported under the option's name, where the operator typed it.
     */
    public static ServerConfig load(Map<String, String> env, Optional<Path> configFile, Map<String, CommandLineSetting> options) {
        List<String> problems = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>();
        Map<String, String> namedAs = new LinkedHashMap<>();
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(env.get("CASTGATE_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
        file.ifPresent(path -> readFile(path, given, problems));
        for (Setting<?> setting : Settings.ALL) {
            String fromEnv = env.get(setting.envName());
            if (fromEnv != null) given.put(setting.key(), fromEnv.trim());
        }
        options.forEach((option, value) -> {
            if (!KEYS.contains(value.key())) throw new IllegalArgumentException("no setting " + value.key());
            given.put(value.key(), value.value().trim());
            namedAs.put(value.key(), option);
        });

        Parsed values = new Parsed();
        for (Setting<?> setting : Settings.ALL) {
            values.read(setting, namedAs.getOrDefault(setting.key(), setting.key()),
                    given.getOrDefault(setting.key(), setting.defaultValue()), problems);
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        List<String> warnings = new ArrayList<>(EnvironmentNames.warnings(env.keySet(), Settings.ALL.stream().map(Setting::envName).toList()));
        if (mailMode(values) == ServerConfig.MailMode.OFF) {
            warnings.add("mail.host is not set: no mail is sent, so email verification, email changes on /account and account "
                    + "recovery (\"Forgot password?\") are off; set CASTGATE_MAIL_HOST and CASTGATE_MAIL_FROM");
        }
        return build(values, devDefaults(values, given.containsKey(DATABASE_URL.key())), warnings);
    }

    /** A setting given as a command-line option: its file key and the text given. */
    public record CommandLineSetting(String key, String value) {}

    /** The file key's environment name: upper case, dots become underscores, after {@code CASTGATE_}. */
    public static String envName(String key) {
        return "CASTGATE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The file path of a {@code jdbc:sqlite:} URL, for creating its folder. */
    public static String sqlitePath(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static ServerConfig build(Parsed v, List<String> devDefaults, List<String> warnings) {
        int port = v.get(PORT);
        return new ServerConfig(v.get(ISSUER).orElseGet(() -> localIssuer(port)), v.get(HOST), port, v.get(HTTP_TRUSTED_PROXIES),
                new ServerConfig.DatabaseConfig(v.get(DATABASE_URL), v.get(DATABASE_USERNAME), v.get(DATABASE_PASSWORD),
                        v.get(DATABASE_POOL_SIZE), v.get(DATABASE_SQLITE_SYNCHRONOUS), v.get(DATABASE_CONNECT_TIMEOUT),
                        v.get(DATABASE_STATEMENT_TIMEOUT), v.get(DATABASE_START_WAIT)),
                encryptionKeyFile(v),
                new ServerConfig.SigningKeysConfig(v.get(KEYS_REREAD_INTERVAL), v.get(KEYS_ACTIVATION_DELAY), v.get(KEYS_ROTATION_INTERVAL)),
                new ServerConfig.TokenConfig(v.get(ACCESS_TOKEN_TTL), v.get(REFRESH_TOKEN_TTL), v.get(AUTHORIZATION_CODE_TTL)),
                v.get(SESSION_TTL),
                new ServerConfig.LoginThrottleConfig(v.get(LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS), v.get(LOGIN_MAX_FAILURES_PER_ACCOUNT),
                        v.get(LOGIN_MAX_FAILURES_PER_ADDRESS), v.get(LOGIN_FAILURE_WINDOW)),
                new ServerConfig.HousekeepingConfig(v.get(HOUSEKEEPING_INTERVAL), v.get(AUDIT_RETENTION)),
                v.get(SIGNUP_ENABLED),
                v.get(ERRORS),
                new ServerConfig.DeviceConfig(v.get(DEVICE_CODE_TTL), (int) v.get(DEVICE_INTERVAL).toSeconds(),
                        v.get(DEVICE_MAX_FAILURES_PER_SESSION), v.get(DEVICE_MAX_FAILURES_PER_ADDRESS),
                        v.get(DEVICE_MAX_AUTHORIZATIONS_PER_ADDRESS), v.get(DEVICE_MAX_AUTHORIZATIONS_PER_CLIENT)),
                new ServerConfig.RegistrationConfig(v.get(REGISTRATION_OPEN), v.get(REGISTRATION_MAX_REQUESTS_PER_ADDRESS)),
                new ServerConfig.ParConfig(v.get(PAR_REQUIRED), v.get(PAR_REQUEST_URI_TTL)),
                new ServerConfig.RequestObjectsConfig(v.get(REQUEST_OBJECTS_REQUIRED), v.get(REQUEST_OBJECTS_BY_REFERENCE)),
                new ServerConfig.DpopConfig(v.get(DPOP_REQUIRE_NONCE)),
                new ServerConfig.ClientAssertionsConfig(v.get(CLIENT_ASSERTIONS_TOKEN_ENDPOINT_AUDIENCE)),
                new ServerConfig.ApiConfig(v.get(API_BASE_PATH), v.get(API_PORT), v.get(API_RATE_LIMIT_PER_TOKEN),
                        v.get(API_RATE_LIMIT_PER_ADDRESS), v.get(API_RATE_LIMIT_WINDOW)),
                new ServerConfig.BroadcastConfig(v.get(BROADCAST_RTMP_URL), v.get(BROADCAST_RTMPS_URL),
                        v.get(BROADCAST_MAX_REFUSALS_PER_ADDRESS)),
                new ServerConfig.MailConfig(mailMode(v), v.get(MAIL_HOST), v.get(MAIL_PORT), v.get(MAIL_USERNAME), v.get(MAIL_PASSWORD),
                        v.get(MAIL_FROM), v.get(MAIL_STARTTLS), v.get(MAIL_MAX_LINKS_PER_ACCOUNT), v.get(RECOVERY_MAX_REQUESTS_PER_ADDRESS)),
                new ServerConfig.LogConfig(v.get(LOG_FORMAT), v.get(LOG_ACCESS)),
                new ServerConfig.ManagementConfig(v.get(MANAGEMENT_HOST), v.get(MANAGEMENT_PORT)),
                devDefaults,
                v.get(DEMO),
                warnings);
    }

    /**
     * Mail goes over SMTP when a server is set. Without one, development (an http issuer, the
     * default one included) writes it to the log, so every flow can be followed there; production
     * (https) sends none, rather than put live links to people's accounts into its log.
     */
    private static ServerConfig.MailMode mailMode(Parsed v) {
        if (!v.get(MAIL_HOST).isBlank()) return ServerConfig.MailMode.SMTP;
        boolean development = v.get(ISSUER).map(issuer -> "http".equals(issuer.getScheme())).orElse(true);
        return development ? ServerConfig.MailMode.LOG : ServerConfig.MailMode.OFF;
    }

    /** The file the setting names, else {@code encryption.key} in the data folder: the SQLite database's, or the default one's. */
    private static ServerConfig.EncryptionKeyFile encryptionKeyFile(Parsed v) {
        Optional<Path> given = v.get(KEYS_ENCRYPTION_KEY_FILE);
        if (given.isPresent()) return new ServerConfig.EncryptionKeyFile(given.get(), true);
        String url = v.get(DATABASE_URL).startsWith("jdbc:sqlite:") ? v.get(DATABASE_URL) : DATABASE_URL.defaultValue();
        return new ServerConfig.EncryptionKeyFile(Path.of(sqlitePath(url)).resolveSibling("encryption.key"), false);
    }

    /** With no issuer set, the server is its own issuer on localhost, for development. */
    private static URI localIssuer(int port) {
        return URI.create("http://localhost:" + port);
    }

    /** What was left at a development default, announced once at start so nobody runs it in production unawares. */
    private static List<String> devDefaults(Parsed v, boolean databaseGiven) {
        List<String> notes = new ArrayList<>();
        Optional<URI> issuer = v.get(ISSUER);
        if (issuer.isEmpty()) {
            notes.add("http issuer " + localIssuer(v.get(PORT)) + " (set CASTGATE_ISSUER to an https URL in production)");
        } else if ("http".equals(issuer.get().getScheme())) {
            notes.add("http issuer " + issuer.get() + " (use https in production)");
        }
        if (!databaseGiven) notes.add("embedded SQLite database in " + sqlitePath(v.get(DATABASE_URL)));
        boolean postgres = !v.get(DATABASE_URL).startsWith("jdbc:sqlite:");
        if (postgres && v.get(KEYS_ENCRYPTION_KEY_FILE).isEmpty() && !"https".equals(issuer.map(URI::getScheme).orElse("http"))) {
            notes.add("encryption key in " + encryptionKeyFile(v).path() + ", made on first start (set CASTGATE_KEYS_ENCRYPTION_KEY_FILE "
                    + "to a key file every node shares in production)");
        }
        if (mailMode(v) == ServerConfig.MailMode.LOG) notes.add("mail is written to the log, not sent (set CASTGATE_MAIL_HOST to send it)");
        return notes;
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
            if (!KEYS.contains(key)) {
                problems.add("unknown setting '" + key + "' in " + path);
            } else {
                into.put(key, properties.getProperty(key).trim());
            }
        }
    }

    /** The values read so far, by setting (the table's constants, so by identity); one that did not parse has none. */
    private static final class Parsed implements Setting.Values {
        private final Map<Setting<?>, Object> values = new IdentityHashMap<>();

        /** Reads the setting's text; {@code name} is what its problems are reported under: its key, or the option that gave it. */
        <T> void read(Setting<T> setting, String name, String raw, List<String> problems) {
            T value;
            try {
                value = setting.parser().parse(raw);
            } catch (IllegalArgumentException e) {
                problems.add(name + " " + e.getMessage());
                return;
            }
            values.put(setting, value);
            for (Setting.Check<T> check : setting.checks()) {
                check.problem(value, this).ifPresent(problem -> problems.add(name + " " + problem));
            }
        }

        @Override
        public <T> Optional<T> find(Setting<T> setting) {
            @SuppressWarnings("unchecked") // read() stores each setting's own parser's result under it
            T value = (T) values.get(setting);
            return Optional.ofNullable(value);
        }

        /** Only asked once every setting parsed. */
        <T> T get(Setting<T> setting) {
            return find(setting).orElseThrow();
        }
    }
}
