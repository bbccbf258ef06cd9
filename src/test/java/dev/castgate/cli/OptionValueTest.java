package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.testing.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values the tool refuses before it opens any database: each is one line, {@code castgate: } and
 * what is wrong, with exit status 1 and nothing on standard output, word for word as scripts see it.
 */
class OptionValueTest {
    private static final String NO_CLIENT = "0".repeat(40);
    private static final String DURATION = "must be a duration such as 90s, 15m, 24h or 30d, not ";

    @TempDir static Path dir;
    static Path config;

    @BeforeAll
    static void writeConfig() throws IOException {
        // A database of its own, in case a value were wrongly accepted and a command ran.
        config = Files.writeString(dir.resolve("castgate.properties"), "database.url=jdbc:sqlite:" + dir.resolve("castgate.db") + "\n");
    }

    private static Tool.Run castgate(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return Tool.runRaw("", all.toArray(String[]::new));
    }

    private static void assertRefused(String message, String... args) {
        Tool.Run run = castgate(args);
        assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(1);
        assertThat(run.err()).as(String.join(" ", args)).isEqualTo("castgate: " + message + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    private static String[] add(String... options) {
        List<String> args = new ArrayList<>(List.of("client", "add", "--name", "Refused", "--type", "web",
                "--redirect-uri", "https://app.example/cb"));
        args.addAll(List.of(options));
        return args.toArray(String[]::new);
    }

    private static String[] update(String... options) {
        List<String> args = new ArrayList<>(List.of("client", "update", NO_CLIENT));
        args.addAll(List.of(options));
        return args.toArray(String[]::new);
    }

    @Test
    void lifetimesMustBeDurationsLongerThanZero() {
        assertRefused("--access-token-ttl " + DURATION + "'a day'", add("--access-token-ttl", "a day"));
        assertRefused("--access-token-ttl must be longer than zero", add("--access-token-ttl", "0s"));
        assertRefused("--access-token-ttl " + DURATION + "'soon'", update("--access-token-ttl", "soon"));
        assertRefused("--access-token-ttl " + DURATION + "'default'", add("--access-token-ttl", "default"));
    }

    @Test
    void theRefreshGraceTakesZeroButNotANegativeNumber() {
        assertRefused("--refresh-grace " + DURATION + "'-1'", add("--refresh-grace", "-1"));
        assertRefused("--refresh-grace " + DURATION + "'x'", update("--refresh-grace", "x"));
        assertRefused("no client " + NO_CLIENT, update("--refresh-grace", "0"));
        assertRefused("no client " + NO_CLIENT, update("--refresh-grace", " 00m"));
    }

    @Test
    void updateTakesDefaultForTheServersLifetime() {
        assertRefused("no client " + NO_CLIENT, update("--access-token-ttl", "default"));
        assertRefused("no client " + NO_CLIENT, update("--access-token-ttl", " default "));
    }

    @Test
    void algorithmsAndFormatsAreNamedExactly() {
        assertRefused("the signing algorithm must be RS256 or ES256, not 'HS256'", add("--id-token-alg", "HS256"));
        assertRefused("the signing algorithm must be RS256 or ES256, not 'es256'", update("--id-token-alg", "es256"));
        assertRefused("--access-token-alg: the signing algorithm must be RS256 or ES256, not 'none'", update("--access-token-alg", "none"));
        assertRefused("--access-token-format: access token format must be opaque or jwt, not 'JWT'", update("--access-token-format", "JWT"));
        assertRefused("client type must be web or native, not 'WEB'",
                "client", "add", "--name", "Refused", "--type", "WEB", "--redirect-uri", "https://app.example/cb");
    }

    @Test
    void grantTypesAndScopesAreChecked() {
        assertRefused("unknown grant type 'magic'", add("--grant-types", "magic"));
        assertRefused("unknown grant type ' magic '", add("--grant-types", "authorization_code, magic "));
        assertRefused("unknown grant type ''", update("--grant-types", "authorization_code,,refresh_token"));
        assertRefused("--scopes holds characters that are not allowed", add("--scopes", "openid \"email\""));
        assertRefused("--scopes holds characters that are not allowed", update("--scopes", "a\\b"));
    }

    /** Values picocli converts itself, and other mistakes, stay usage errors: status 2 and the usage. */
    @Test
    void otherMistakesAreStillUsageErrors() {
        Tool.Run limit = castgate("audit", "list", "--limit", "many");
        assertThat(limit.exit()).isEqualTo(2);
        assertThat(limit.err()).startsWith("Invalid value for option '--limit': 'many' is not an int" + System.lineSeparator()
                + "Usage: castgate audit list");

        Tool.Run missing = castgate("client", "add", "--type", "web");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("Missing required option: '--name=<name>'" + System.lineSeparator()
                + "Usage: castgate client add");
    }
}
