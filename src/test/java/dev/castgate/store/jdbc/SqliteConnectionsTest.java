package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite connections that keep their prepared statements: reused, reset, never shared, bounded. */
@Tag("sqlite-only")
class SqliteConnectionsTest {
    private static final String SELECT = "SELECT v FROM t WHERE k = ?";

    @TempDir
    Path folder;
    private SqliteConnections connections;
    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        Properties pragmas = new Properties();
        pragmas.setProperty("journal_mode", "WAL");
        connections = new SqliteConnections("jdbc:sqlite:" + folder.resolve("kept.db"), pragmas);
        connection = connections.getConnection();
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            for (int k = 1; k <= 50; k++) st.executeUpdate("INSERT INTO t VALUES (" + k + ", 'v" + k + "')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void aClosedStatementIsHandedOutAgainAndAnswersItsNewParameters() throws SQLException {
        PreparedStatement first = connection.prepareStatement(SELECT);
        assertThat(value(first, 1)).isEqualTo("v1");
        first.close();
        PreparedStatement second = connection.prepareStatement(SELECT);
        assertThat(second).isSameAs(first);
        assertThat(value(second, 2)).isEqualTo("v2");
        second.close();
    }

    @Test
    void aStatementInUseIsNotHandedOutTwice() throws SQLException {
        PreparedStatement outer = connection.prepareStatement(SELECT);
        outer.setInt(1, 3);
        try (ResultSet rows = outer.executeQuery()) {
            assertThat(rows.next()).isTrue();
            PreparedStatement inner = connection.prepareStatement(SELECT);
            assertThat(inner).isNotSameAs(outer);
            assertThat(value(inner, 4)).isEqualTo("v4");
            inner.close();
            assertThat(inner.isClosed()).as("a statement prepared beside a kept one is closed for real").isTrue();
            assertThat(rows.getString(1)).isEqualTo("v3");
        }
        outer.close();
        assertThat(connection.prepareStatement(SELECT)).isSameAs(outer);
    }

    @Test
    void closingAStatementLetsGoOfItsRowsSoTheLogCanBeCheckpointed() throws SQLException {
        PreparedStatement all = connection.prepareStatement("SELECT v FROM t");
        ResultSet rows = all.executeQuery();
        assertThat(rows.next()).isTrue(); // a read is open, mid-way: it holds a snapshot
        all.close(); // not the rows: the statement's close alone must reset it
        try (Connection writer = connections.getConnection(); Statement st = writer.createStatement()) {
            st.executeUpdate("INSERT INTO t VALUES (100, 'new')");
            try (ResultSet checkpoint = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(checkpoint.next()).isTrue();
                assertThat(checkpoint.getInt(1)).as("busy: a reader still holds the old snapshot").isZero();
            }
        }
        PreparedStatement again = connection.prepareStatement("SELECT v FROM t");
        assertThat(again).isSameAs(all);
        try (ResultSet fresh = again.executeQuery()) {
            int n = 0;
            while (fresh.next()) n++;
            assertThat(n).isEqualTo(51);
        }
        again.close();
    }

    @Test
    void aParameterTheNextUserLeavesUnsetIsNullNotTheLastUsersValue() throws SQLException {
        // The parameters are cleared on the Java side only (see KeptStatement.close); the driver
        // must still bind an unset one as NULL, never the value the statement's last user set.
        String query = "SELECT ? IS NULL, ?";
        PreparedStatement first = connection.prepareStatement(query);
        first.setString(1, "secret of the last user");
        first.setInt(2, 1);
        try (ResultSet rows = first.executeQuery()) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).isFalse();
        }
        first.close();
        PreparedStatement next = connection.prepareStatement(query);
        assertThat(next).isSameAs(first);
        next.setInt(2, 2);
        try (ResultSet rows = next.executeQuery()) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).as("the first parameter, set by the last user only").isTrue();
            assertThat(rows.getInt(2)).isEqualTo(2);
        }
        next.close();
    }

    @Test
    void aStatementThatFailedIsUsableAgain() throws SQLException {
        String insert = "INSERT INTO t VALUES (?, ?)";
        PreparedStatement failing = connection.prepareStatement(insert);
        failing.setInt(1, 1);
        failing.setString(2, "taken");
        assertThatThrownBy(failing::executeUpdate).isInstanceOf(SQLException.class);
        failing.close();
        PreparedStatement again = connection.prepareStatement(insert);
        assertThat(again).isSameAs(failing);
        again.setInt(1, 200);
        again.setString(2, "fresh");
        assertThat(again.executeUpdate()).isEqualTo(1);
        again.close();
        assertThat(valueOnce(200)).isEqualTo("fresh");
    }

    @Test
    void aBatchIsClearedWhenItsStatementIsClosed() throws SQLException {
        String insert = "INSERT INTO t VALUES (?, ?)";
        PreparedStatement batch = connection.prepareStatement(insert);
        batch.setInt(1, 300);
        batch.setString(2, "left behind");
        batch.addBatch();
        batch.close(); // closed before executeBatch: the row must not be written by the next user
        PreparedStatement next = connection.prepareStatement(insert);
        next.setInt(1, 301);
        next.setString(2, "written");
        next.addBatch();
        assertThat(next.executeBatch()).containsExactly(1);
        next.close();
        assertThat(valueOnce(300)).isNull();
        assertThat(valueOnce(301)).isEqualTo("written");
    }

    @Test
    void theLeastRecentlyUsedStatementIsClosedBeyondTheBound() throws SQLException {
        PreparedStatement oldest = connection.prepareStatement("SELECT v FROM t WHERE k = 0 + ?");
        oldest.close();
        for (int i = 1; i <= SqliteConnections.KEPT_PER_CONNECTION; i++) {
            connection.prepareStatement("SELECT v FROM t WHERE k = " + i + " + ?").close();
        }
        assertThat(((SqliteConnections.KeepingConnection) connection).keptCount()).isEqualTo(SqliteConnections.KEPT_PER_CONNECTION);
        assertThat(oldest.isClosed()).isTrue();
        PreparedStatement again = connection.prepareStatement("SELECT v FROM t WHERE k = 0 + ?");
        assertThat(again).isNotSameAs(oldest);
        assertThat(value(again, 5)).isEqualTo("v5");
        again.close();
    }

    @Test
    void thePoolsConnectionKeepsItsStatementsAcrossLoans() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setDataSource(connections);
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            PreparedStatement first;
            try (Connection loaned = pool.getConnection()) {
                PreparedStatement proxy = loaned.prepareStatement(SELECT);
                first = proxy.unwrap(PreparedStatement.class);
                assertThat(value(proxy, 6)).isEqualTo("v6");
                proxy.close();
            }
            try (Connection loaned = pool.getConnection()) {
                // Left open on purpose: the pool closes it when the connection comes back.
                PreparedStatement proxy = loaned.prepareStatement(SELECT);
                assertThat(proxy.unwrap(PreparedStatement.class)).isSameAs(first);
                assertThat(value(proxy, 7)).isEqualTo("v7");
            }
            try (Connection loaned = pool.getConnection(); PreparedStatement proxy = loaned.prepareStatement(SELECT)) {
                assertThat(proxy.unwrap(PreparedStatement.class)).isSameAs(first);
                assertThat(value(proxy, 8)).isEqualTo("v8");
            }
        }
    }

    private static String value(PreparedStatement statement, int key) throws SQLException {
        statement.setInt(1, key);
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private String valueOnce(int key) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(SELECT)) {
            return value(st, key);
        }
    }
}
