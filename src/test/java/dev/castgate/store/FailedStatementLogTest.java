package dev.castgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.castgate.api.ApiCalls;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Http;
import dev.castgate.testing.TestClient;
import dev.castgate.testing.TestDatabase;
import dev.castgate.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A statement the database refuses is logged without the values bound to it (security review §3):
 * those are code and token hashes, user ids, nonces, and on a failed account write they would be
 * password hashes and emails. The test makes the database refuse a row by its value (a check
 * constraint on PostgreSQL, whose refusal also quotes the row; a trigger on SQLite) and reads
 * every line logged meanwhile, stack traces and causes included.
 */
class FailedStatementLogTest {
    @CastgateServer TestServer server;
    private final String marker = "marker" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void refuseTheMarker() throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
            if (TestDatabase.postgres()) {
                s.execute("ALTER TABLE channels ADD CONSTRAINT refused_by_test CHECK (title <> '" + marker + "')");
                s.execute("ALTER TABLE grants ADD CONSTRAINT refused_by_test CHECK (device_name IS NULL OR device_name <> '" + marker + "')");
            } else {
                for (String table : new String[] {"channels", "grants"}) {
                    String column = table.equals("channels") ? "title" : "device_name";
                    s.execute("CREATE TRIGGER refused_by_test_" + table + " BEFORE INSERT ON " + table + " WHEN NEW." + column + " = '"
                            + marker + "' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
                }
            }
        }
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void detach() {
        root.detachAppender(log);
    }

    @Test
    void aRefusedStatementIsLoggedWithoutItsArguments() {
        ApiCalls api = new ApiCalls(server);
        String token = api.token(api.clientOf(server.createUser()), "broadcaster", false);
        Http.Response r = api.post("/users/self/channels", Http.form("title", marker), token);

        assertThat(r.status()).as(r.body()).isEqualTo(500);
        assertLoggedWithoutTheMarker();
    }

    @Test
    void aRefusedBatchOfTheGroupCommitWriterIsLoggedWithoutItsArguments() {
        TestClient client = server.client().create();
        Http.Response r = Http.client().postForm(server.url("/oauth2/token"),
                Http.form("grant_type", "client_credentials", "device_name", marker), "Authorization", client.basic());

        assertThat(r.status()).as(r.body()).isEqualTo(500);
        assertLoggedWithoutTheMarker();
    }

    private void assertLoggedWithoutTheMarker() {
        List<ILoggingEvent> failures = log.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null).toList();
        assertThat(failures).as("the refusal is logged with its stack trace").isNotEmpty();
        for (ILoggingEvent event : log.list) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).as("logged by %s", event.getLoggerName()).doesNotContain(marker);
        }
    }
}
