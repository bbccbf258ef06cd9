package dev.castgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.domain.User;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.ServerProcess;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups as the README describes them, restored and served: {@code castgate backup} on SQLite,
 * taken while the server runs and writes, and {@code pg_dump -Fc} with {@code pg_restore} on
 * PostgreSQL; a server started on the copy with the same key file honours the tokens issued
 * before it.
 */
class BackupCommandTest {
    @TempDir static Path dir;
    @CastgateServer static TestServer server;
    static Tool tool;
    static User user;
    static TestClient client;

    @BeforeAll
    static void setUp() {
        tool = Tool.forServer(server, dir);
        user = server.createUser();
        client = server.client().owner(user).allowPassword().create();
    }

    @Test
    @Tag("sqlite-only") // castgate backup copies SQLite databases
    void aCopyTakenWhileTheServerWritesServesItsTokensWithTheSameKeyFile() throws Exception {
        Map<String, Object> before = passwordGrant();
        Path backup = dir.resolve("backups/castgate.db");

        // Tokens go on being issued, and written, while the copy is taken.
        AtomicBoolean copying = new AtomicBoolean(true);
        AtomicInteger issuedMeanwhile = new AtomicInteger();
        Thread load = Thread.ofVirtual().start(() -> {
            while (copying.get()) {
                if (token(Http.form("grant_type", "client_credentials")).status() == 200) issuedMeanwhile.incrementAndGet();
            }
        });
        Tool.Run run;
        try {
            run = tool.run("backup", backup.toString());
        } finally {
            copying.set(false);
            load.join(Duration.ofSeconds(30));
        }
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        Path database = Path.of(server.jdbcUrl().substring("jdbc:sqlite:".length()));
        assertThat(run.out()).isEqualTo("wrote a consistent copy of " + database + " to " + backup + " (" + Files.size(backup)
                + " bytes), readable by its owner only; the key file " + server.keyFile() + " is not in it: back it up apart"
                + System.lineSeparator());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
        assertThat(Files.list(backup.getParent()).map(p -> p.getFileName().toString()).toList())
                .as("no partial file is left behind").containsExactly("castgate.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup);
                Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("ok");
        }

        Map<String, Object> after = passwordGrant();
        try (ServerProcess copy = serverOn("jdbc:sqlite:" + backup)) {
            assertServesTheTokens(copy, before);
            assertThat(introspect(copy, (String) after.get("access_token")))
                    .as("a token issued after the backup is not in it").isEqualTo(Map.of("active", false));
        }
    }

    @Test
    @Tag("sqlite-only")
    void anExistingFileIsReplacedOnlyWithForceAndTheDatabaseNever() throws IOException {
        Path existing = Files.writeString(dir.resolve("existing.db"), "an earlier backup");
        Tool.Run refused = tool.run("backup", existing.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("castgate: " + existing + " exists: choose another name, or give --force to replace it"
                + System.lineSeparator());
        assertThat(refused.out()).isEmpty();
        assertThat(Files.readString(existing)).isEqualTo("an earlier backup");

        Tool.Run forced = tool.run("backup", "--force", existing.toString());
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(Files.readString(existing.toAbsolutePath(), java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("SQLite format 3");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-------");

        Path database = Path.of(server.jdbcUrl().substring("jdbc:sqlite:".length()));
        Tool.Run itself = tool.run("backup", "--force", database.toString());
        assertThat(itself.exit()).isEqualTo(1);
        assertThat(itself.err()).isEqualTo("castgate: " + database + " is the database itself; choose another file" + System.lineSeparator());
        assertThat(introspect(null, (String) passwordGrant().get("access_token"))).containsEntry("active", true);
    }

    @Test
    @Tag("postgresql-only")
    void onPostgresqlTheCommandPointsToPgDump() {
        Path wanted = dir.resolve("never.db");
        Tool.Run run = tool.run("backup", wanted.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("castgate: backup copies the embedded SQLite database; back up PostgreSQL with "
                + "'pg_dump -Fc DATABASE > FILE' and restore with pg_restore (see Backups in the README)" + System.lineSeparator());
        assertThat(wanted).doesNotExist();
    }

    @Test
    @Tag("postgresql-only")
    void aPgDumpRestoredIntoAFreshDatabaseServesTheTokensIssuedBeforeIt() throws Exception {
        requireProgram("pg_dump");
        requireProgram("pg_restore");
        Map<String, Object> before = passwordGrant();
        PgConnection connection = new PgConnection(server.jdbcUrl());
        Path dump = dir.resolve("castgate.dump");
        run("pg_dump", "-Fc", "-h", connection.host, "-p", connection.port, "-U", connection.user, "-f", dump.toString(), connection.database);
        String restored = "castgate_r_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl()); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + restored);
        }
        try {
            run("pg_restore", "--no-owner", "-h", connection.host, "-p", connection.port, "-U", connection.user, "-d", restored, dump.toString());
            String restoredUrl = server.jdbcUrl().replace("/" + connection.database, "/" + restored);
            try (ServerProcess copy = serverOn(restoredUrl)) {
                assertServesTheTokens(copy, before);
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(server.jdbcUrl()); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + restored + " WITH (FORCE)");
            }
        }
    }

    /** A second server on a restored copy, with the first one's key file and issuer, as a restore would start it. */
    private static ServerProcess serverOn(String jdbcUrl) {
        return ServerProcess.startIn(dir, Map.of("CASTGATE_DATABASE_URL", jdbcUrl,
                "CASTGATE_KEYS_ENCRYPTION_KEY_FILE", server.keyFile().toString(), "CASTGATE_ISSUER", server.issuer()));
    }

    /** The access token issued before the copy introspects active there, and its refresh token gets new tokens that do too. */
    private static void assertServesTheTokens(ServerProcess copy, Map<String, Object> before) {
        assertThat(introspect(copy, (String) before.get("access_token")))
                .containsEntry("active", true).containsEntry("client_id", client.id()).containsEntry("username", user.username());
        Http.Response refreshed = Http.client().postForm(copy.url("/oauth2/token"),
                Http.form("grant_type", "refresh_token", "refresh_token", (String) before.get("refresh_token")), "Authorization", client.basic());
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(introspect(copy, (String) refreshed.json().get("access_token"))).containsEntry("active", true);
    }

    /** The parts of a jdbc:postgresql://host:port/database?user=... URL that pg_dump and pg_restore take as options. */
    private record PgConnection(String host, String port, String database, String user) {
        PgConnection(String jdbcUrl) {
            this(part(jdbcUrl, "//([^:/]+)"), part(jdbcUrl, "//[^:/]+:(\\d+)"), part(jdbcUrl, "//[^/]+/([^?]+)"), part(jdbcUrl, "[?&]user=([^&]+)"));
        }

        private static String part(String url, String regex) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(url);
            if (!m.find()) throw new IllegalArgumentException("no " + regex + " in " + url);
            return m.group(1);
        }
    }

    /** A program the test needs: skipped without it, except in CI, where its absence is a failure. */
    private static void requireProgram(String name) {
        boolean found = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, name)));
        if (found) return;
        if ("true".equals(System.getenv("CI"))) throw new AssertionError(name + " is required in CI (apt-get install postgresql-client)");
        Assumptions.abort(name + " is not installed (apt-get install postgresql-client); the restore test is skipped");
    }

    private static void run(String... command) throws Exception {
        Path output = Files.createTempFile(dir, "pg", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " ends").isTrue();
        } finally {
            dev.castgate.testing.ChildProcesses.stop(process, Duration.ofSeconds(5));
        }
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + Files.readString(output)).isZero();
    }

    private static Map<String, Object> passwordGrant() {
        Http.Response r = token(Http.form("grant_type", "password", "username", user.username(), "password", TestServer.PASSWORD));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Http.Response token(Map<String, String> form) {
        return Http.client().postForm(server.url("/oauth2/token"), form, "Authorization", client.basic());
    }

    /** Introspects at {@code node}, or at the test's server when null. */
    private static Map<String, Object> introspect(ServerProcess node, String token) {
        String url = node == null ? server.url("/oauth2/introspect") : node.url("/oauth2/introspect");
        Http.Response r = Http.client().postForm(url, Http.form("token", token), "Authorization", client.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

}
