package dev.castgate.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.castgate.domain.GrantType;
import dev.castgate.store.OutageLog;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestServer;
import dev.castgate.testing.TmpfsMount;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A full disk under load, at small scale: the SQLite database lives on a small tmpfs the test
 * mounts (root only: skipped elsewhere, a failure under {@code CI=true}), and a file fills what is
 * left of it while a few threads ask for tokens and walk refresh chains. Every token request is
 * answered {@code 503 temporarily_unavailable} with {@code Retry-After} meanwhile, never a 500 or a
 * stack trace; readiness says 503; the log holds a line per kind of failure and interval, not one
 * per request; once the file is removed the node answers again, every token answered 200 before
 * is still active, every chain refreshes from its last answered token, and the database is whole.
 * SQLite only: a PostgreSQL server's disk is not the test's to fill.
 */
@Tag("sqlite-only")
class FullDiskTest {
    /** The tmpfs: room for the database and its write-ahead log under this short load, before the filler takes the rest. */
    private static final int DISK_MEGABYTES = 32;
    private static final String FILLER = "filler";
    /** The longest a token request may wait: twice the connection and statement timeouts (1 s each here), and some. */
    private static final Duration BOUNDED = Duration.ofSeconds(8);
    /** How long the disk stays full under load, at least: several of the checkpoints' rounds (0.25 s) and probes. */
    private static final Duration FULL = Duration.ofSeconds(3);
    private static final int ISSUERS = 3;
    private static final int CHAINS = 3;

    private TmpfsMount disk;
    private TestServer server;
    private Path databaseFile;

    @BeforeEach
    void start() {
        disk = TmpfsMount.of(DISK_MEGABYTES);
        databaseFile = disk.dir().resolve("castgate.db");
        server = TestServer.start(Map.of("CASTGATE_DATABASE_URL", "jdbc:sqlite:" + databaseFile,
                "CASTGATE_DATABASE_CONNECT_TIMEOUT", "1s", "CASTGATE_DATABASE_STATEMENT_TIMEOUT", "1s"));
    }

    @AfterEach
    void stop() {
        // The server first: the disk cannot be unmounted while the database files are open.
        try {
            if (server != null) server.close();
        } finally {
            if (disk != null) disk.close();
        }
    }

    @Test
    void aFullDiskIsAnswered503AndLosesNothingAnswered() throws Exception {
        TestClient issuer = server.client().grants(GrantType.CLIENT_CREDENTIALS).create();
        Http http = Http.client();

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        try (TokenLoad load = TokenLoad.start(server, issuer, ISSUERS, CHAINS)) {
            log.start();
            root.addAppender(log);
            try {
                long filled = disk.fill(FILLER);
                int before = load.unavailable();
                await().pollDelay(FULL).atMost(FULL.plus(BOUNDED)).pollInterval(Duration.ofMillis(50))
                        .until(() -> load.unavailable() >= before + 20);
                Http.Response ready = http.get(server.url("/health/ready"));
                assertThat(ready.status()).as("readiness on a full disk (a %d-byte file filled it): %s", filled, ready.body()).isEqualTo(503);
                assertThat(ready.body()).isEqualTo("{\"status\":\"down\"}");

                disk.free(FILLER);
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> http.get(server.url("/health/ready")).status() == 200);
                load.awaitEveryChainRefreshing();
            } finally {
                root.detachAppender(log);
            }
            load.stop();

            load.assertAnsweredWell(BOUNDED);
            load.assertEverythingAnsweredHolds(server.url("/oauth2/introspect"));
        }

        // Less than OutageLog's interval (10 s) passed: a line for each kind of failure at most.
        List<ILoggingEvent> ours = log.list.stream()
                .filter(e -> e.getLoggerName().startsWith("dev.castgate") && e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        assertThat(ours).as("warnings and errors while the disk was full").isNotEmpty()
                .allSatisfy(e -> assertThat(e.getLoggerName()).as(e.getFormattedMessage()).isEqualTo(OutageLog.class.getName()))
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).as("a stack trace with " + e.getFormattedMessage()).isNull());
        List<String> kinds = ours.stream().map(e -> e.getFormattedMessage().substring(0, e.getFormattedMessage().indexOf(" ("))).toList();
        assertThat(kinds).as("each kind of failure once: %s", ours).doesNotHaveDuplicates();
        assertThat(integrityCheck()).isEqualTo("ok");
    }

    /** SQLite's own check of every page and index, from a connection of the test's. */
    private String integrityCheck() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + databaseFile);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            StringBuilder result = new StringBuilder();
            while (rs.next()) result.append(result.isEmpty() ? "" : "\n").append(rs.getString(1));
            return result.toString();
        }
    }
}
