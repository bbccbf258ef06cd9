package dev.castgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration from a properties file and CASTGATE_* variables, validated once, every problem at once. */
class ConfigLoaderTest {
    @TempDir Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("castgate-" + System.nanoTime() + ".properties");
        Files.write(f, List.of(lines));
        return f;
    }

    private static List<String> problems(Map<String, String> env, Optional<Path> file) {
        try {
            ConfigLoader.load(env, file);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("the configuration was accepted");
    }

    @Test
    void defaultsNeedNoSetup() {
        ServerConfig c = ConfigLoader.load(Map.of(), Optional.empty());
        assertThat(c.issuer()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(c.issuerBase()).isEqualTo("http://localhost:8080");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.database()).isEqualTo(new ServerConfig.DatabaseConfig("jdbc:sqlite:data/castgate.db", "", "", 10,
                ServerConfig.SqliteSynchronous.FULL, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThat(c.database().sqlite()).isTrue();
        assertThat(c.tokens()).isEqualTo(new ServerConfig.TokenConfig(Duration.ofDays(1), Duration.ofDays(30), Duration.ofSeconds(60)));
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(c.loginThrottle()).isEqualTo(new ServerConfig.LoginThrottleConfig(5, 20, 20, Duration.ofMinutes(15)));
        assertThat(c.secureCookies()).isFalse();
    }

    @Test
    void devDefaultsAreListed() {
        ServerConfig c = ConfigLoader.load(Map.of(), Optional.empty());
        assertThat(c.devDefaults()).containsExactly(
                "http issuer http://localhost:8080 (set CASTGATE_ISSUER to an https URL in production)",
                "embedded SQLite database in data/castgate.db",
                "mail is written to the log, not sent (set CASTGATE_MAIL_HOST to send it)");

        ServerConfig httpIssuer = ConfigLoader.load(Map.of("CASTGATE_ISSUER", "http://auth.test:9000",
                "CASTGATE_DATABASE_URL", "jdbc:sqlite:/var/lib/castgate/castgate.db?foo=bar"), Optional.empty());
        assertThat(httpIssuer.devDefaults()).containsExactly("http issuer http://auth.test:9000 (use https in production)",
                "mail is written to the log, not sent (set CASTGATE_MAIL_HOST to send it)");

        ServerConfig production = ConfigLoader.load(Map.of("CASTGATE_ISSUER", "https://auth.example.com/",
                "CASTGATE_DATABASE_URL", "jdbc:postgresql://db/castgate"), Optional.empty());
        assertThat(production.devDefaults()).isEmpty();
        assertThat(production.issuerBase()).isEqualTo("https://auth.example.com");
        assertThat(production.secureCookies()).isTrue();
        assertThat(production.database().sqlite()).isFalse();
    }

    @Test
    void mailGoesOverSmtpIntoTheLogInDevelopmentOrNowhereInProduction() {
        ServerConfig smtp = ConfigLoader.load(Map.of("CASTGATE_ISSUER", "https://auth.example.com", "CASTGATE_MAIL_HOST", "smtp.example.com",
                "CASTGATE_MAIL_FROM", "Example <castgate@example.com>", "CASTGATE_MAIL_USERNAME", "castgate",
                "CASTGATE_MAIL_PASSWORD", "s3cret"), Optional.empty());
        assertThat(smtp.mail()).isEqualTo(new ServerConfig.MailConfig(ServerConfig.MailMode.SMTP, "smtp.example.com", 587, "castgate",
                "s3cret", "Example <castgate@example.com>", true, 5, 10));
        assertThat(smtp.mail().available()).isTrue();
        assertThat(smtp.mail().toString()).as("the password stays out of printouts").doesNotContain("s3cret");
        assertThat(smtp.warnings()).isEmpty();

        ServerConfig development = ConfigLoader.load(Map.of(), Optional.empty());
        assertThat(development.mail().mode()).isEqualTo(ServerConfig.MailMode.LOG);
        assertThat(development.mail().available()).isTrue();
        assertThat(development.warnings()).isEmpty();

        ServerConfig production = ConfigLoader.load(Map.of("CASTGATE_ISSUER", "https://auth.example.com"), Optional.empty());
        assertThat(production.mail().mode()).isEqualTo(ServerConfig.MailMode.OFF);
        assertThat(production.mail().available()).isFalse();
        assertThat(production.devDefaults()).containsExactly("embedded SQLite database in data/castgate.db");
        assertThat(production.warnings()).containsExactly("mail.host is not set: no mail is sent, so email verification, email "
                + "changes on /account and account recovery (\"Forgot password?\") are off; set CASTGATE_MAIL_HOST and CASTGATE_MAIL_FROM");
    }

    @Test
    void mailSettingsAreChecked() {
        assertThat(problems(Map.of("CASTGATE_MAIL_HOST", "smtp.example.com"), Optional.empty()))
                .containsExactly("mail.from must be set when mail.host is");
        assertThat(problems(Map.of("CASTGATE_MAIL_FROM", "castgate at example.com", "CASTGATE_MAIL_PORT", "0",
                "CASTGATE_MAIL_STARTTLS", "maybe"), Optional.empty())).containsExactly(
                "mail.port must be between 1 and 65535, not 0",
                "mail.from must be an address such as castgate@example.com or Example <castgate@example.com>, not 'castgate at example.com'",
                "mail.starttls must be true or false, not 'maybe'");
        assertThat(problems(Map.of("CASTGATE_MAIL_FROM", "Evil <a@example.com>\r\nBcc: b@example.com"), Optional.empty()))
                .singleElement().asString().startsWith("mail.from must be an address");
        assertThat(ConfigLoader.load(Map.of("CASTGATE_MAIL_FROM", "castgate@example.com", "CASTGATE_MAIL_STARTTLS", "false"),
                Optional.empty()).mail()).extracting(ServerConfig.MailConfig::from, ServerConfig.MailConfig::starttls)
                .containsExactly("castgate@example.com", false);
    }

    @Test
    void theEncryptionKeyFileIsTheSettingsOrInTheDataFolder() {
        ServerConfig defaults = ConfigLoader.load(Map.of(), Optional.empty());
        assertThat(defaults.encryptionKey()).isEqualTo(new ServerConfig.EncryptionKeyFile(Path.of("data/encryption.key"), false));
        assertThat(ConfigLoader.load(Map.of("CASTGATE_DATABASE_URL", "jdbc:sqlite:/var/lib/castgate/castgate.db?foo=bar"),
                Optional.empty()).encryptionKey().path()).isEqualTo(Path.of("/var/lib/castgate/encryption.key"));
        assertThat(ConfigLoader.load(Map.of("CASTGATE_DATABASE_URL", "jdbc:sqlite:castgate.db"), Optional.empty()).encryptionKey().path())
                .isEqualTo(Path.of("encryption.key"));
        assertThat(ConfigLoader.load(Map.of("CASTGATE_KEYS_ENCRYPTION_KEY_FILE", "/etc/castgate/encryption.key"), Optional.empty())
                .encryptionKey()).isEqualTo(new ServerConfig.EncryptionKeyFile(Path.of("/etc/castgate/encryption.key"), true));

        // PostgreSQL in development uses the data folder too, and says so; with an https issuer it is not development.
        ServerConfig postgresDevelopment = ConfigLoader.load(Map.of("CASTGATE_DATABASE_URL", "jdbc:postgresql://db/castgate"),
                Optional.empty());
        assertThat(postgresDevelopment.encryptionKey()).isEqualTo(new ServerConfig.EncryptionKeyFile(Path.of("data/encryption.key"), false));
        assertThat(postgresDevelopment.development()).isTrue();
        assertThat(postgresDevelopment.devDefaults()).containsExactly(
                "http issuer http://localhost:8080 (set CASTGATE_ISSUER to an https URL in production)",
                "encryption key in data/encryption.key, made on first start (set CASTGATE_KEYS_ENCRYPTION_KEY_FILE to a key file every "
                        + "node shares in production)",
                "mail is written to the log, not sent (set CASTGATE_MAIL_HOST to send it)");
        ServerConfig postgresWithAFile = ConfigLoader.load(Map.of("CASTGATE_DATABASE_URL", "jdbc:postgresql://db/castgate",
                "CASTGATE_KEYS_ENCRYPTION_KEY_FILE", "/etc/castgate/encryption.key"), Optional.empty());
        assertThat(postgresWithAFile.devDefaults()).containsExactly(
                "http issuer http://localhost:8080 (set CASTGATE_ISSUER to an https URL in production)",
                "mail is written to the log, not sent (set CASTGATE_MAIL_HOST to send it)");
        assertThat(ConfigLoader.load(Map.of("CASTGATE_DATABASE_URL", "jdbc:postgresql://db/castgate", "CASTGATE_ISSUER",
                "https://auth.example.com"), Optional.empty()).development()).isFalse();
    }

    @Test
    void defaultIssuerFollowsThePort() {
        ServerConfig c = ConfigLoader.load(Map.of("CASTGATE_PORT", "9001"), Optional.empty());
        assertThat(c.issuer()).isEqualTo(URI.create("http://localhost:9001"));
    }

    @Test
    void fileSetsValuesAndTheEnvironmentOverridesThem() throws IOException {
        Path f = file("port = 9000", "host=0.0.0.0", "tokens.access_token_ttl=2h", "database.pool_size=3");
        ServerConfig fromFile = ConfigLoader.load(Map.of(), Optional.of(f));
        assertThat(fromFile.port()).isEqualTo(9000);
        assertThat(fromFile.host()).isEqualTo("0.0.0.0");
        assertThat(fromFile.tokens().accessTokenTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(fromFile.database().poolSize()).isEqualTo(3);

        ServerConfig overridden = ConfigLoader.load(Map.of("CASTGATE_PORT", " 9100 ", "CASTGATE_TOKENS_ACCESS_TOKEN_TTL", "90"),
                Optional.of(f));
        assertThat(overridden.port()).isEqualTo(9100);
        assertThat(overridden.tokens().accessTokenTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(overridden.host()).as("what the environment does not set comes from the file").isEqualTo("0.0.0.0");
        assertThat(overridden.database().poolSize()).isEqualTo(3);
    }

    @Test
    void commandLineOptionsWinOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws IOException {
        Path f = file("port=9000", "host=10.0.0.1", "database.pool_size=3");
        Map<String, String> env = Map.of("CASTGATE_PORT", "9100", "CASTGATE_HOST", "10.0.0.2");
        Map<String, ConfigLoader.CommandLineSetting> options = Map.of("--port", new ConfigLoader.CommandLineSetting("port", " 9200 "));

        ServerConfig c = ConfigLoader.load(env, Optional.of(f), options);
        assertThat(c.port()).as("the option").isEqualTo(9200);
        assertThat(c.issuer()).as("the default issuer follows the port, wherever it came from").isEqualTo(URI.create("http://localhost:9200"));
        assertThat(c.host()).as("the environment, without an option").isEqualTo("10.0.0.2");
        assertThat(c.database().poolSize()).as("the file, without option or variable").isEqualTo(3);
        assertThat(c.database().jdbcUrl()).as("the default").isEqualTo("jdbc:sqlite:data/castgate.db");

        ServerConfig both = ConfigLoader.load(env, Optional.of(f), Map.of(
                "--port", new ConfigLoader.CommandLineSetting("port", "9300"),
                "--host", new ConfigLoader.CommandLineSetting("host", "0.0.0.0")));
        assertThat(both.port()).isEqualTo(9300);
        assertThat(both.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void aBadCommandLineOptionIsReportedUnderItsName() {
        Map<String, String> env = Map.of("CASTGATE_PORT", "http");
        assertThatThrownBy(() -> ConfigLoader.load(env, Optional.empty(), Map.of("--port", new ConfigLoader.CommandLineSetting("port", "70000"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .as("the option replaces the variable, so only the option's problem is reported")
                        .containsExactly("--port must be between 0 and 65535, not 70000"));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Optional.empty(), Map.of("--port", new ConfigLoader.CommandLineSetting("port", "abc"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("--port must be a whole number, not 'abc'"));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Optional.empty(), Map.of("--host", new ConfigLoader.CommandLineSetting("host", " "))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly("--host must not be empty"));
    }

    @Test
    void castgateConfigNamesTheFileAndAnExplicitFileWins() throws IOException {
        Path viaEnv = file("port=9200");
        Path explicit = file("port=9300");
        assertThat(ConfigLoader.load(Map.of("CASTGATE_CONFIG", viaEnv.toString()), Optional.empty()).port()).isEqualTo(9200);
        assertThat(ConfigLoader.load(Map.of("CASTGATE_CONFIG", viaEnv.toString()), Optional.of(explicit)).port()).isEqualTo(9300);
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(ConfigLoader.envName("database.url")).isEqualTo("CASTGATE_DATABASE_URL");
        assertThat(ConfigLoader.envName("tokens.access_token_ttl")).isEqualTo("CASTGATE_TOKENS_ACCESS_TOKEN_TTL");
        assertThat(ConfigLoader.envName("port")).isEqualTo("CASTGATE_PORT");
        for (Setting<?> setting : Settings.ALL) {
            assertThat(setting.envName()).matches("CASTGATE_[A-Z_]+").isEqualTo(ConfigLoader.envName(setting.key()));
        }
    }

    /**
     * The README's configuration table is the settings' documentation: the same keys in the same
     * order, with their environment names, defaults and descriptions.
     */
    @Test
    void theReadmeListsEverySettingWithItsNameDefaultAndDescription() throws IOException {
        Pattern row = Pattern.compile("^\\| `([a-z_.]+)` \\| `(CASTGATE_[A-Z_]+)` \\| ([^|]+) \\| ([^|]+) \\|$", Pattern.MULTILINE);
        Matcher m = row.matcher(Files.readString(Path.of("README.md")));
        Map<String, String[]> documented = new LinkedHashMap<>();
        while (m.find()) {
            assertThat(m.group(2)).as("the environment name of " + m.group(1)).isEqualTo(ConfigLoader.envName(m.group(1)));
            documented.put(m.group(1), new String[] {m.group(3).trim(), m.group(4).trim()});
        }
        assertThat(documented.keySet()).containsExactlyElementsOf(Settings.ALL.stream().map(Setting::key).toList());
        for (Setting<?> setting : Settings.ALL) {
            String key = setting.key();
            String value = setting.defaultValue();
            // The issuer's default is made from the port; an empty default is documented as none.
            String expected = key.equals("issuer") ? "`http://localhost:PORT`" : value.isEmpty() ? "(none)" : "`" + value + "`";
            assertThat(documented.get(key)[0]).as("the documented default of " + key).isEqualTo(expected);
            // The README may link a section where the table names it: [How tokens are written](#how-tokens-are-written).
            String description = documented.get(key)[1].replaceAll("\\[([^]]+)]\\(#[a-z0-9-]+\\)", "$1");
            assertThat(description).as("the README's description of " + key).isEqualTo(setting.description());
        }
    }

    @Test
    void unrelatedEnvironmentVariablesAreIgnored() {
        assertThat(ConfigLoader.load(Map.of("CASTGATE_NO_SUCH_SETTING", "x", "PATH", "/bin"), Optional.empty()).port()).isEqualTo(8080);
    }

    @Test
    void unknownKeyInTheFileIsAProblem() throws IOException {
        Path f = file("databse.url=jdbc:sqlite:x.db");
        assertThat(problems(Map.of(), Optional.of(f))).containsExactly("unknown setting 'databse.url' in " + f);
    }

    @Test
    void unreadableFileIsAProblem() {
        Path missing = dir.resolve("missing.properties");
        assertThat(problems(Map.of(), Optional.of(missing)))
                .singleElement().asString().startsWith("cannot read configuration file " + missing + ": ");
    }

    @Test
    void badPorts() {
        assertThat(problems(Map.of("CASTGATE_PORT", "http"), Optional.empty()))
                .containsExactly("port must be a whole number, not 'http'");
        assertThat(problems(Map.of("CASTGATE_PORT", "70000"), Optional.empty()))
                .containsExactly("port must be between 0 and 65535, not 70000");
        assertThat(problems(Map.of("CASTGATE_PORT", "-1"), Optional.empty()))
                .containsExactly("port must be between 0 and 65535, not -1");
        assertThat(ConfigLoader.load(Map.of("CASTGATE_PORT", "0"), Optional.empty()).port()).isZero();
    }

    @Test
    void badDurations() {
        assertThat(problems(Map.of("CASTGATE_TOKENS_ACCESS_TOKEN_TTL", "1 week"), Optional.empty()))
                .containsExactly("tokens.access_token_ttl must be a duration such as 90s, 15m, 24h or 30d, not '1 week'");
        assertThat(problems(Map.of("CASTGATE_SESSION_TTL", "0m"), Optional.empty()))
                .containsExactly("session.ttl must be longer than zero");
        assertThat(problems(Map.of("CASTGATE_LOGIN_FAILURE_WINDOW", "-5m"), Optional.empty()))
                .containsExactly("login.failure_window must be a duration such as 90s, 15m, 24h or 30d, not '-5m'");
        assertThat(problems(Map.of("CASTGATE_TOKENS_AUTHORIZATION_CODE_TTL", "11m"), Optional.empty()))
                .containsExactly("tokens.authorization_code_ttl must be at most 10m (RFC 6749 §4.1.2)");
        assertThat(ConfigLoader.load(Map.of("CASTGATE_TOKENS_AUTHORIZATION_CODE_TTL", "10m"), Optional.empty())
                .tokens().authorizationCodeTtl()).isEqualTo(Duration.ofMinutes(10));
    }

    /** Signing-key rotation: zero makes a key sign at once, or turns automatic rotation off; rotating needs the delay to pass first. */
    @Test
    void signingKeySettings() {
        ServerConfig.SigningKeysConfig defaults = ConfigLoader.load(Map.of(), Optional.empty()).signingKeys();
        assertThat(defaults).isEqualTo(new ServerConfig.SigningKeysConfig(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ZERO));
        assertThat(defaults.rotatesAutomatically()).isFalse();
        ServerConfig.SigningKeysConfig set = ConfigLoader.load(Map.of("CASTGATE_KEYS_ACTIVATION_DELAY", "0s",
                "CASTGATE_KEYS_ROTATION_INTERVAL", "90d", "CASTGATE_KEYS_REREAD_INTERVAL", "1s"), Optional.empty()).signingKeys();
        assertThat(set).isEqualTo(new ServerConfig.SigningKeysConfig(Duration.ofSeconds(1), Duration.ZERO, Duration.ofDays(90)));
        assertThat(set.rotatesAutomatically()).isTrue();
        assertThat(problems(Map.of("CASTGATE_KEYS_ROTATION_INTERVAL", "10m"), Optional.empty()))
                .containsExactly("keys.rotation_interval must be 0s (off) or longer than keys.activation_delay");
        assertThat(problems(Map.of("CASTGATE_KEYS_ACTIVATION_DELAY", "8d", "CASTGATE_KEYS_REREAD_INTERVAL", "0s"), Optional.empty()))
                .containsExactly("keys.reread_interval must be longer than zero", "keys.activation_delay must be at most 7d");
        assertThat(problems(Map.of("CASTGATE_KEYS_ACTIVATION_DELAY", "-1s"), Optional.empty()))
                .containsExactly("keys.activation_delay must be a duration such as 90s, 15m, 24h or 30d, not '-1s'");
    }

    @Test
    void badIssuers() {
        assertThat(problems(Map.of("CASTGATE_ISSUER", "ftp://auth.example.com"), Optional.empty()))
                .containsExactly("issuer must be an http or https URL, not 'ftp://auth.example.com'");
        assertThat(problems(Map.of("CASTGATE_ISSUER", "auth.example.com"), Optional.empty()))
                .containsExactly("issuer must be an http or https URL, not 'auth.example.com'");
        assertThat(problems(Map.of("CASTGATE_ISSUER", "https:///only/a/path"), Optional.empty()))
                .containsExactly("issuer must name a host: 'https:///only/a/path'");
        assertThat(problems(Map.of("CASTGATE_ISSUER", "https://auth.example.com/?tenant=1"), Optional.empty()))
                .containsExactly("issuer must not have a query or fragment: 'https://auth.example.com/?tenant=1'");
        assertThat(problems(Map.of("CASTGATE_ISSUER", "https://auth.example.com/#top"), Optional.empty()))
                .containsExactly("issuer must not have a query or fragment: 'https://auth.example.com/#top'");
        assertThat(problems(Map.of("CASTGATE_ISSUER", "https://auth example.com"), Optional.empty()))
                .containsExactly("issuer is not a valid URL: 'https://auth example.com'");
    }

    @Test
    void badDatabaseUrlHostAndPoolSize() {
        assertThat(problems(Map.of("CASTGATE_DATABASE_URL", "nonsense"), Optional.empty()))
                .containsExactly("database.url must be a jdbc:sqlite: or jdbc:postgresql: URL, not 'nonsense'");
        assertThat(problems(Map.of("CASTGATE_HOST", " "), Optional.empty())).containsExactly("host must not be empty");
        assertThat(problems(Map.of("CASTGATE_DATABASE_POOL_SIZE", "1"), Optional.empty()))
                .containsExactly("database.pool_size must be between 2 and 500, not 1");
    }

    /** Each setting's own problem, word for word: operators and scripts read these. */
    @Test
    void everyOtherSettingSaysWhatIsWrongWithIt() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("CASTGATE_DATABASE_POOL_SIZE=ten", "database.pool_size must be a whole number, not 'ten'");
        expected.put("CASTGATE_DATABASE_SQLITE_SYNCHRONOUS=off", "database.sqlite_synchronous must be full or normal, not 'off'");
        expected.put("CASTGATE_LOGIN_MAX_FAILURES_PER_ADDRESS=100001", "login.max_failures_per_address must be between 1 and 100000, not 100001");
        expected.put("CASTGATE_HOUSEKEEPING_INTERVAL=0d", "housekeeping.interval must be longer than zero");
        expected.put("CASTGATE_AUDIT_RETENTION=", "audit.retention must be a duration such as 90s, 15m, 24h or 30d, not ''");
        expected.put("CASTGATE_SIGNUP_ENABLED=yes", "signup.enabled must be true or false, not 'yes'");
        expected.put("CASTGATE_DEMO=1", "demo must be true or false, not '1'");
        expected.put("CASTGATE_ERRORS=rfc", "errors must be standard or ibm, not 'rfc'");
        expected.put("CASTGATE_DEVICE_CODE_TTL=59", "device.code_ttl must be between 60s and 1h");
        expected.put("CASTGATE_DEVICE_INTERVAL=61", "device.interval must be between 1s and 60s");
        expected.put("CASTGATE_DEVICE_MAX_FAILURES_PER_SESSION=0", "device.max_failures_per_session must be between 1 and 1000, not 0");
        expected.put("CASTGATE_DEVICE_MAX_FAILURES_PER_ADDRESS=0", "device.max_failures_per_address must be between 1 and 100000, not 0");
        expected.put("CASTGATE_API_BASE_PATH=/api/", "api.base_path must be a path such as /api (no trailing slash), not '/api/'");
        expected.put("CASTGATE_API_PORT=8080", "api.port must differ from port (0 serves the API on port)");
        expected.put("CASTGATE_API_RATE_LIMIT_PER_TOKEN=0", "api.rate_limit.per_token must be between 1 and 10000000, not 0");
        expected.put("CASTGATE_API_RATE_LIMIT_PER_ADDRESS=10000001",
                "api.rate_limit.per_address must be between 1 and 10000000, not 10000001");
        expected.put("CASTGATE_API_RATE_LIMIT_WINDOW=2h", "api.rate_limit.window must be between 1s and 1h");
        expected.put("CASTGATE_BROADCAST_RTMP_URL=http://x", "broadcast.rtmp_url must be an rtmp:// URL, not 'http://x'");
        expected.put("CASTGATE_BROADCAST_RTMPS_URL=rtmp://x", "broadcast.rtmps_url must be an rtmps:// URL, not 'rtmp://x'");
        expected.forEach((variable, problem) -> {
            String[] nameAndValue = variable.split("=", 2);
            assertThat(problems(Map.of(nameAndValue[0], nameAndValue[1]), Optional.empty())).as(variable).containsExactly(problem);
        });
    }

    /** A value out of range still takes part in the checks below it, so both problems are told at once. */
    @Test
    void anApiPortOutOfRangeAndEqualToThePortIsTwoProblems() {
        assertThat(problems(Map.of("CASTGATE_PORT", "70000", "CASTGATE_API_PORT", "70000"), Optional.empty())).containsExactly(
                "port must be between 0 and 65535, not 70000",
                "api.port must be between 0 and 65535, not 70000",
                "api.port must differ from port (0 serves the API on port)");
        assertThat(problems(Map.of("CASTGATE_PORT", "eighty", "CASTGATE_API_PORT", "0", "CASTGATE_DEMO", "maybe"), Optional.empty()))
                .as("problems come in the table's order").containsExactly(
                        "port must be a whole number, not 'eighty'", "demo must be true or false, not 'maybe'");
    }

    @Test
    void enumsAndBooleansTakeAnyCase() {
        ServerConfig c = ConfigLoader.load(Map.of("CASTGATE_DATABASE_SQLITE_SYNCHRONOUS", "Normal", "CASTGATE_ERRORS", "IBM",
                "CASTGATE_SIGNUP_ENABLED", "FALSE", "CASTGATE_DEMO", "True", "CASTGATE_DEVICE_INTERVAL", "1m"), Optional.empty());
        assertThat(c.database().sqliteSynchronous()).isEqualTo(ServerConfig.SqliteSynchronous.NORMAL);
        assertThat(c.errors()).isEqualTo(dev.castgate.error.ErrorMode.IBM);
        assertThat(c.signupEnabled()).isFalse();
        assertThat(c.demo()).isTrue();
        assertThat(c.device().intervalSeconds()).isEqualTo(60);
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path f = file("port=eighty", "colour=blue", "tokens.refresh_token_ttl=forever");
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> ConfigLoader.load(Map.of(
                "CASTGATE_ISSUER", "ftp://x", "CASTGATE_DATABASE_URL", "nonsense", "CASTGATE_LOGIN_MAX_FAILURES_PER_ACCOUNT", "0"),
                Optional.of(f)));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "unknown setting 'colour' in " + f,
                "port must be a whole number, not 'eighty'",
                "issuer must be an http or https URL, not 'ftp://x'",
                "database.url must be a jdbc:sqlite: or jdbc:postgresql: URL, not 'nonsense'",
                "tokens.refresh_token_ttl must be a duration such as 90s, 15m, 24h or 30d, not 'forever'",
                "login.max_failures_per_account must be between 1 and 1000, not 0");
        assertThat(e.getMessage()).isEqualTo(String.join("; ", e.problems()));
    }

    @Test
    void sqlitePathDropsTheQuery() {
        assertThat(ConfigLoader.sqlitePath("jdbc:sqlite:data/castgate.db")).isEqualTo("data/castgate.db");
        assertThat(ConfigLoader.sqlitePath("jdbc:sqlite:/tmp/x.db?journal_mode=WAL")).isEqualTo("/tmp/x.db");
    }

    @Test
    void problemsListCannotBeChanged() {
        ConfigException e = new ConfigException(new java.util.ArrayList<>(List.of("a")));
        assertThatThrownBy(() -> e.problems().add("b")).isInstanceOf(UnsupportedOperationException.class);
    }
}
