package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.castgate.clientauth.ClientLookup;
import dev.castgate.testing.BrowserFlow;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestDatabase;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool.Run;
import dev.castgate.testing.Tool;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line tool, run in-process through {@link Main#run} on the database of a running
 * server, as an operator runs it beside the server: what it prints, its exit codes, and that the
 * server sees its changes.
 */
class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String PASSWORD = "a long enough password";
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");

    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Path config;
    static Tool tool;

    @BeforeAll
    static void setUp() throws IOException {
        config = writeConfig("castgate.properties", Map.of("database.url", server.jdbcUrl(), "database.pool_size", "2"));
        tool = Tool.forServer(server, dir);
    }


    private static Path writeConfig(String name, Map<String, String> settings) throws IOException {
        Properties properties = new Properties();
        properties.putAll(settings);
        Path file = dir.resolve(name);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "written by CommandLineTest");
        }
        return file;
    }

    /** Runs {@code castgate --config <the server's database> args...}. */
    private static Run castgate(String... args) { return castgateWithInput("", args); }

    private static Run castgateWithInput(String stdin, String... args) { return tool.runWithInput(stdin, args); }

    private static Run runRaw(String stdin, String... args) { return Tool.runRaw(stdin, args); }

    private static String uniqueName(String prefix) {
        return prefix + SEQUENCE.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    private static Run addUser(String username, String email, String password, String... extra) {
        List<String> args = new ArrayList<>(List.of("user", "add", "--username", username, "--email", email, "--password-stdin"));
        args.addAll(List.of(extra));
        return castgateWithInput(password + "\n", args.toArray(String[]::new));
    }

    private static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + text, e);
        }
    }

    private static Http.Response clientCredentials(String clientId, String secret) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return Http.client().postForm(server.url("/oauth2/token"), Http.form("grant_type", "client_credentials"), "Authorization", basic);
    }

    /** Registers a web client with the tool and returns its id and secret. */
    private static String[] addWebClient(String... extra) {
        List<String> args = new ArrayList<>(List.of("client", "add", "--name", uniqueName("Web app "), "--type", "web",
                "--redirect-uri", "https://app.example/callback", "--json"));
        args.addAll(List.of(extra));
        Run run = castgate(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        Map<String, Object> body = json(run.out());
        return new String[] {(String) body.get("client_id"), (String) body.get("client_secret")};
    }

    // ---- users

    @Test
    void userAddCreatesAnAccountThatCanSignIn() {
        String username = uniqueName("alice");
        Run run = addUser(username, username + "@example.com", PASSWORD);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).matches("created user " + Pattern.quote(username) + " \\([0-9a-f]{40}\\)\\R");
        assertThat(run.out()).doesNotContain(PASSWORD);

        // The password read from standard input is the one the account signs in with at the running server.
        var client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response redirect = browser.authorize(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid", "state", "cli"), username, PASSWORD);
        browser.code(redirect, "cli");
    }

    @Test
    void userAddRefusesATakenUsernameOrEmail() {
        String username = uniqueName("bob");
        assertThat(addUser(username, username + "@example.com", PASSWORD).exit()).isZero();

        Run sameName = addUser(username, "other-" + username + "@example.com", PASSWORD);
        assertThat(sameName.exit()).isEqualTo(1);
        assertThat(sameName.err()).isEqualTo("castgate: the username or email is already taken" + System.lineSeparator());
        assertThat(sameName.out()).isEmpty();

        Run sameEmail = addUser(uniqueName("bob"), username + "@example.com", PASSWORD);
        assertThat(sameEmail.exit()).isEqualTo(1);
        assertThat(sameEmail.err()).isEqualTo("castgate: the username or email is already taken" + System.lineSeparator());
    }

    @Test
    void userAddRefusesAShortPassword() {
        String username = uniqueName("carol");
        Run run = addUser(username, username + "@example.com", "short");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("castgate: the password must be at least 8 characters long" + System.lineSeparator());
        assertThat(castgate("user", "list").out()).doesNotContain(username);
    }

    @Test
    void userAddReadsOnlyTheFirstLineOfStandardInput() {
        String username = uniqueName("dora");
        assertThat(addUser(username, username + "@example.com", "short\n" + PASSWORD).exit()).isEqualTo(1);
        assertThat(addUser(username, username + "@example.com", "").exit()).as("no input at all").isEqualTo(1);
    }

    @Test
    void userAddWithoutPasswordStdinIsAUsageError() {
        String username = uniqueName("erin");
        Run run = castgateWithInput(PASSWORD + "\n", "user", "add", "--username", username, "--email", username + "@example.com");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required option: '--password-stdin'").contains("Usage: castgate user add");
        assertThat(castgate("user", "list").out()).doesNotContain(username);
    }

    @Test
    void userListShowsTheUser() {
        String username = uniqueName("frank");
        Run added = addUser(username, username + "@example.com", PASSWORD, "--email-verified", "--name", "Frank");
        Matcher id = Pattern.compile("\\(([0-9a-f]{40})\\)").matcher(added.out());
        assertThat(id.find()).as(added.out()).isTrue();

        Run list = castgate("user", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).matches("ID\\s+USERNAME\\s+EMAIL\\s+VERIFIED\\s+DISABLED");
        assertThat(lines).anyMatch(line -> line.matches(id.group(1) + "\\s+" + Pattern.quote(username) + "\\s+"
                + Pattern.quote(username + "@example.com") + "\\s+yes\\s+no"));
    }

    // ---- clients

    @Test
    void clientAddWebPrintsIdAndSecret() {
        Run run = castgate("client", "add", "--name", "Web app", "--type", "web", "--redirect-uri", "https://app.example/callback");
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("client_id: +[0-9a-f]{40}");
        assertThat(lines.get(1)).matches("client_secret: +[0-9a-f]{40} +\\(shown once; store it now\\)");
        String id = lines.get(0).split(" +")[1];
        String secret = lines.get(1).split(" +")[1];
        assertThat(secret).isNotEqualTo(id);
    }

    @Test
    void clientAddJsonOutputParses() {
        Run run = castgate("client", "add", "--name", "Json app", "--type", "web", "--redirect-uri", "https://app.example/a",
                "--redirect-uri", "http://127.0.0.1:8080/b", "--scopes", "openid email", "--access-token-ttl", "2h", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        Map<String, Object> body = json(run.out());
        assertThat((String) body.get("client_id")).matches(HEX40);
        assertThat((String) body.get("client_secret")).matches(HEX40);
        assertThat(body).containsEntry("name", "Json app").containsEntry("type", "web")
                .containsEntry("redirect_uris", List.of("https://app.example/a", "http://127.0.0.1:8080/b"))
                .containsEntry("grant_types", List.of("authorization_code", "client_credentials", "refresh_token"))
                .containsEntry("scope", "email openid")
                .containsEntry("id_token_signed_response_alg", "RS256")
                .containsEntry("access_token_ttl", 7200)
                .containsEntry("access_token_format", "opaque")
                .containsEntry("access_token_signing_alg", "ES256")
                .containsEntry("refresh_grace", 30);
    }

    @Test
    void clientAddTakesTheAccessTokenFormatAndTheRefreshGrace() {
        Run run = castgate("client", "add", "--name", "TV app", "--type", "web", "--redirect-uri", "https://tv.example/cb",
                "--access-token-format", "jwt", "--refresh-grace", "30s", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(json(run.out())).containsEntry("access_token_format", "jwt").containsEntry("refresh_grace", 30);

        Run rsa = castgate("client", "add", "--name", "RSA app", "--type", "web", "--redirect-uri", "https://tv.example/cb",
                "--access-token-format", "jwt", "--access-token-alg", "RS256", "--json");
        assertThat(rsa.exit()).as(rsa.err()).isZero();
        assertThat(json(rsa.out())).containsEntry("access_token_format", "jwt").containsEntry("access_token_signing_alg", "RS256");
        Run back = castgate("client", "update", (String) json(rsa.out()).get("client_id"), "--access-token-alg", "ES256", "--json");
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(json(back.out())).containsEntry("access_token_signing_alg", "ES256");

        Run minute = castgate("client", "add", "--name", "TV app 2", "--type", "web", "--redirect-uri", "https://tv.example/cb",
                "--refresh-grace", "1m", "--json");
        assertThat(minute.exit()).as(minute.err()).isZero();
        assertThat(json(minute.out())).containsEntry("access_token_format", "opaque").containsEntry("refresh_grace", 60);

        Run zero = castgate("client", "add", "--name", "TV app 3", "--type", "web", "--redirect-uri", "https://tv.example/cb",
                "--refresh-grace", "0s", "--json");
        assertThat(zero.exit()).as(zero.err()).isZero();
        assertThat(json(zero.out())).containsEntry("refresh_grace", 0);
    }

    @Test
    void badAccessTokenFormatsAndGraceWindowsAreRefused() {
        List<String> base = List.of("--type", "web", "--redirect-uri", "https://app.example/cb");
        assertRefused(with(base, "--refresh-grace", "61s"), "castgate: the refresh grace window must be 0 to 60 seconds");
        assertRefused(with(base, "--refresh-grace", "2m"), "castgate: the refresh grace window must be 0 to 60 seconds");
        assertRefused(with(base, "--refresh-grace", "soon"),
                "castgate: --refresh-grace must be a duration such as 90s, 15m, 24h or 30d, not 'soon'");
        assertRefused(with(base, "--access-token-format", "mac"),
                "castgate: --access-token-format: access token format must be opaque or jwt, not 'mac'");
        assertRefused(with(base, "--access-token-alg", "HS256"),
                "castgate: --access-token-alg: the signing algorithm must be RS256 or ES256, not 'HS256'");
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void nativeClientHasNoSecret() {
        Run json = castgate("client", "add", "--name", "Phone app", "--type", "native", "--redirect-uri", "com.example.app:/callback",
                "--redirect-uri", "http://127.0.0.1/callback", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        Map<String, Object> body = json(json.out());
        assertThat(body).doesNotContainKey("client_secret").containsEntry("type", "native")
                .containsEntry("grant_types", List.of("authorization_code", "refresh_token"));
        assertThat((String) body.get("client_id")).matches(HEX40);

        Run text = castgate("client", "add", "--name", "TV app", "--type", "native", "--redirect-uri", "http://[::1]/cb");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out().lines().toList()).singleElement().asString().matches("client_id: +[0-9a-f]{40}");
    }

    @Test
    void nativeClientCannotUseClientCredentials() {
        Run run = castgate("client", "add", "--name", "Phone app", "--type", "native", "--redirect-uri", "com.example.app:/cb",
                "--grant-types", "authorization_code,client_credentials");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("castgate: a native client has no secret, so it cannot use client_credentials"
                + System.lineSeparator());
    }

    @Test
    void invalidRedirectUrisAreRefused() {
        int before = castgate("client", "list", "--json").out().split("\"client_id\"").length;
        assertRefused(List.of("--type", "web", "--redirect-uri", "http://app.example/callback"),
                "castgate: redirect URI 'http://app.example/callback' must use https (http only for localhost and loopback addresses)");
        assertRefused(List.of("--type", "web", "--redirect-uri", "https://app.example/callback#frag"),
                "castgate: redirect URI 'https://app.example/callback#frag' must not have a fragment");
        assertRefused(List.of("--type", "web", "--redirect-uri", "/callback"),
                "castgate: redirect URI '/callback' must be absolute");
        assertRefused(List.of("--type", "web", "--redirect-uri", "https://app example/cb"),
                "castgate: 'https://app example/cb' is not a valid URI");
        assertRefused(List.of("--type", "web", "--redirect-uri", "com.example.app:/callback"),
                "castgate: redirect URI 'com.example.app:/callback' must use https");
        assertRefused(List.of("--type", "native", "--redirect-uri", "myapp:/callback"),
                "castgate: redirect URI 'myapp:/callback' must use https or a private-use scheme such as com.example.app");
        assertRefused(List.of("--type", "web"), "castgate: the authorization_code grant needs at least one redirect URI");
        assertRefused(List.of("--type", "desktop", "--redirect-uri", "https://app.example/cb"),
                "castgate: client type must be web or native, not 'desktop'");
        int after = castgate("client", "list", "--json").out().split("\"client_id\"").length;
        assertThat(after).as("no client was registered").isEqualTo(before);
    }

    private static void assertRefused(List<String> options, String message) {
        List<String> args = new ArrayList<>(List.of("client", "add", "--name", "Refused"));
        args.addAll(options);
        Run run = castgate(args.toArray(String[]::new));
        assertThat(run.exit()).as(String.join(" ", options)).isEqualTo(1);
        assertThat(run.err()).isEqualTo(message + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void clientAddRefusesAnUnknownOwner() {
        String[] refused = {"client", "add", "--name", "Owned", "--type", "web", "--grant-types", "client_credentials",
            "--owner", "nobody-" + uniqueName("x")};
        Run run = castgate(refused);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("castgate: no user 'nobody-").endsWith("' to own the client" + System.lineSeparator());
    }

    @Test
    void clientListShowsTheClients() {
        String name = uniqueName("Listed app ");
        Run added = castgate("client", "add", "--name", name, "--type", "web", "--redirect-uri", "https://app.example/cb", "--json");
        String id = (String) json(added.out()).get("client_id");

        Run list = castgate("client", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).matches("CLIENT_ID\\s+TYPE\\s+NAME\\s+GRANT TYPES");
        assertThat(lines).anyMatch(line -> line.matches(id + "\\s+web\\s+" + Pattern.quote(name)
                + "\\s+authorization_code,client_credentials,refresh_token"));
        assertThat(list.out()).as("secrets are never listed").doesNotContain("secret");

        Run json = castgate("client", "list", "--json");
        assertThat(json.exit()).isZero();
        List<Map<String, Object>> clients;
        try {
            clients = JSON.readValue(json.out(), new TypeReference<List<Map<String, Object>>>() {});
        } catch (IOException e) {
            throw new AssertionError("not a JSON array: " + json.out(), e);
        }
        assertThat(clients).anySatisfy(c -> assertThat(c).containsEntry("client_id", id).containsEntry("name", name)
                .doesNotContainKey("client_secret"));
    }

    // ---- the tool beside the running server

    @Test
    void clientAddedWhileTheServerRunsWorksAtOnce() {
        String[] client = addWebClient();
        Http.Response token = clientCredentials(client[0], client[1]);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        Map<String, Object> body = token.json();
        assertThat((String) body.get("access_token")).matches(HEX40);
        assertThat(body).containsEntry("token_type", "bearer").containsEntry("expires_in", 86400)
                .doesNotContainKey("refresh_token").doesNotContainKey("id_token");
    }

    @Test
    void clientAccessTokenLifetimeReachesTheServer() {
        String[] client = addWebClient("--access-token-ttl", "2h");
        Http.Response token = clientCredentials(client[0], client[1]);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        assertThat(token.json()).containsEntry("expires_in", 7200);
    }

    @Test
    void clientAccessTokenFormatReachesTheServer() {
        String[] client = addWebClient("--access-token-format", "jwt");
        Http.Response token = clientCredentials(client[0], client[1]);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        String accessToken = (String) token.json().get("access_token");
        assertThat(accessToken).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        String header = new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(json(header)).containsEntry("typ", "at+jwt").containsEntry("alg", "ES256");
    }

    @Test
    void removedClientIsRefused() {
        String[] client = addWebClient();
        Run removed = castgate("client", "remove", client[0]);
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out()).isEqualTo("removed client " + client[0] + System.lineSeparator());
        assertThat(castgate("client", "list").out()).doesNotContain(client[0]);

        // Never looked up before removal, so not in the server's cache: refused at once.
        Http.Response token = clientCredentials(client[0], client[1]);
        assertThat(token.status()).isEqualTo(401);
        assertThat(token.json()).containsEntry("error", "invalid_client");
    }

    @Test
    void removedClientInUseIsRefusedAtOnceOnPostgresqlAndWithinTheCacheLifetimeOnSqlite() {
        String[] client = addWebClient();
        assertThat(clientCredentials(client[0], client[1]).status()).isEqualTo(200);
        assertThat(castgate("client", "remove", client[0]).exit()).isZero();

        // On SQLite the server may keep the client for up to ClientLookup.TTL (on its clock), no
        // longer; on PostgreSQL the database announces the removal and it is forgotten at once.
        // Introspection writes nothing, so it shows the cache; a token request would fail at its insert.
        if (TestDatabase.postgres()) {
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> introspect(client[0], client[1]).status() == 401);
        } else {
            assertThat(introspect(client[0], client[1]).status()).as("still cached").isEqualTo(200);
            server.clock().advance(ClientLookup.TTL);
        }
        Http.Response refused = introspect(client[0], client[1]);
        assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        assertThat(refused.json()).containsEntry("error", "invalid_client");
        assertThat(clientCredentials(client[0], client[1]).status()).isEqualTo(401);
    }

    private static Http.Response introspect(String clientId, String secret) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return Http.client().postForm(server.url("/oauth2/introspect"), Http.form("token", "0".repeat(40)), "Authorization", basic);
    }

    @Test
    void clientRemovedDuringSignInEndsOnTheNotRegisteredPage() {
        var user = server.createUser();
        var client = server.client().create();
        BrowserFlow browser = new BrowserFlow(server);
        Http.Response login = browser.open(Http.form("client_id", client.id(), "redirect_uri", client.redirectUri(),
                "response_type", "code", "scope", "openid", "state", "gone"));
        Http.Response consent = browser.signIn(login, user.username(), TestServer.PASSWORD);
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);

        assertThat(castgate("client", "remove", client.id()).exit()).isZero();
        // Whether or not the server still has the client cached, the person sees a page, not a server error.
        Http.Response answer = browser.decide(consent, "allow");
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("This sign-in link is not valid").contains("The application that sent you here is not registered.");
        assertThat(answer.header("Location")).isEmpty();
    }

    @Test
    void removingAnUnknownClientIsRefused() {
        Run run = castgate("client", "remove", "0".repeat(40));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("castgate: no client " + "0".repeat(40) + System.lineSeparator());
    }

    // ---- configuration

    @Test
    void badConfigurationExitsWithTwoAndSaysWhy() throws IOException {
        Path bad = writeConfig("bad.properties", Map.of("database.url", "nonsense"));
        Run run = runRaw("", "--config", bad.toString(), "user", "list");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("castgate: configuration: database.url must be a jdbc:sqlite: or jdbc:postgresql: URL, "
                + "not 'nonsense'" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void everyConfigurationProblemGetsItsOwnLine() throws IOException {
        Path bad = writeConfig("worse.properties", Map.of("database.url", "nonsense", "port", "eighty", "colour", "blue"));
        Run run = runRaw("", "--config", bad.toString(), "client", "list");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines().toList()).containsExactlyInAnyOrder(
                "castgate: configuration: unknown setting 'colour' in " + bad,
                "castgate: configuration: port must be a whole number, not 'eighty'",
                "castgate: configuration: database.url must be a jdbc:sqlite: or jdbc:postgresql: URL, not 'nonsense'");
    }

    @Test
    void missingConfigurationFileExitsWithTwo() {
        Path missing = dir.resolve("missing.properties");
        Run run = runRaw("", "--config", missing.toString(), "client", "list");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("castgate: configuration: cannot read configuration file " + missing);
    }

    @Test
    void configOptionAlsoWorksAfterTheSubcommand() {
        Path missing = dir.resolve("also-missing.properties");
        Run bad = runRaw("", "client", "list", "--config", missing.toString());
        assertThat(bad.exit()).as("the file after the subcommand is the one read").isEqualTo(2);
        assertThat(bad.err()).startsWith("castgate: configuration: cannot read configuration file " + missing);

        Run good = runRaw("", "user", "list", "--config", config.toString());
        assertThat(good.exit()).as(good.err()).isZero();
    }

    @Test
    void unknownCommandIsAUsageError() {
        Run run = castgate("frobnicate");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument at index 2: 'frobnicate'");
    }
}
