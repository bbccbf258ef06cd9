package dev.castgate.store.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.JDBC;
import org.sqlite.core.DB;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * The pool's source of SQLite connections: the driver's own, except that each keeps the
 * statements it prepared. SQLite compiles a statement's SQL at every {@code prepareStatement},
 * and JDBC code (Castgate's own and Jdbi's) prepares a statement for every use: that compiling
 * was a fifth of the CPU time of an introspection here. Closing a kept statement resets it
 * instead, so its next use skips the compiling. PostgreSQL's driver keeps parsed statements per
 * connection itself, so only SQLite needs this.
 */
final class SqliteConnections implements DataSource {
    /**
     * Distinct statements kept per connection; the least recently used beyond this is closed. A
     * compiled statement holds a few KiB of native memory, and a request path uses a handful.
     */
    static final int KEPT_PER_CONNECTION = 64;

    private final String url;
    private final Properties properties;
    /** Kept, not used: the pool reads it back as how long it waits for a connection being opened when it closes. */
    private volatile int loginTimeoutSeconds;

    /** {@code properties}: the driver's connection settings (pragmas), as its own data source takes them. */
    SqliteConnections(String url, Properties properties) {
        if (!JDBC.isValidURL(url)) throw new IllegalArgumentException("not a SQLite JDBC URL: " + url);
        this.url = url.trim();
        this.properties = properties;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return new KeepingConnection(url, url.substring(JDBC.PREFIX.length()), properties);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection(); // a SQLite file has no users
    }

    @Override
    public PrintWriter getLogWriter() { return null; }

    @Override
    public void setLogWriter(PrintWriter out) { }

    @Override
    public void setLoginTimeout(int seconds) { loginTimeoutSeconds = seconds; }

    @Override
    public int getLoginTimeout() { return loginTimeoutSeconds; }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) return type.cast(this);
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) { return type.isInstance(this); }

    /**
     * A connection with one kept statement per SQL text. The pool lends a connection to one
     * thread at a time, so the map needs no lock. A statement whose SQL is already in use on this
     * connection (the same query run while iterating another's rows) is prepared afresh and
     * closed for real. The driver finalizes every statement when the connection closes.
     */
    static final class KeepingConnection extends JDBC4Connection {
        private final Map<String, KeptStatement> kept = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, KeptStatement> eldest) {
                if (size() <= KEPT_PER_CONNECTION) return false;
                eldest.getValue().evict();
                return true;
            }
        };

        KeepingConnection(String url, String fileName, Properties properties) throws SQLException {
            super(url, fileName, properties);
        }

        /** Every other prepareStatement of the driver comes here. */
        @Override
        public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability) throws SQLException {
            if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
                return super.prepareStatement(sql, type, concurrency, holdability); // refused by the driver, as before
            }
            checkOpen();
            KeptStatement statement = kept.get(sql);
            if (statement != null && statement.inUse) return new JDBC4PreparedStatement(this, sql);
            if (statement == null || statement.pointer.isClosed()) {
                statement = new KeptStatement(this, sql);
                kept.put(sql, statement);
            }
            statement.inUse = true;
            return statement;
        }

        /** How many statements this connection keeps; for tests. */
        int keptCount() { return kept.size(); }
    }

    /** A statement whose close resets it for the next use, until its connection evicts it. */
    static final class KeptStatement extends JDBC4PreparedStatement {
        private boolean inUse;
        private boolean evicted;

        KeptStatement(KeepingConnection connection, String sql) throws SQLException {
            super(connection, sql);
        }

        /**
         * Resets the statement: its rows are let go (an open SQLite statement would hold a read
         * snapshot and stop the log's checkpoints), its parameters and batch cleared.
         *
         * <p>The parameters are cleared on the Java side only, by {@code clearBatch}, which empties
         * the array the driver keeps them in; the driver binds every parameter from that array,
         * unset ones as NULL, at each execution. Not {@code clearParameters}: the driver's native
         * {@code sqlite3_clear_bindings} marks the compiled statement expired, so SQLite compiled
         * it again inside the next step, the very cost keeping it was to save (an introspection's
         * query took 40 µs instead of 8 here). SQLite's copy of the last values stays with the
         * statement, in this process's memory, until its next execution binds new ones.
         */
        @Override
        public void close() throws SQLException {
            if (evicted || pointer.isClosed()) {
                super.close();
                return;
            }
            if (!inUse) return;
            try {
                rs.close();
                pointer.safeRunConsume(KeptStatement::reset);
                clearBatch();
                clearGeneratedKeys();
                inUse = false;
            } catch (SQLException e) {
                evicted = true; // not kept in a state nobody knows
                super.close();
                throw e;
            }
        }

        private static void reset(DB db, long pointer) throws SQLException {
            db.reset(pointer);
        }

        /** Out of the connection's map: closed now if idle, else when its user closes it. */
        void evict() {
            evicted = true;
            if (inUse) return;
            try {
                super.close();
            } catch (SQLException e) {
                // The driver finalizes it with its connection in any case.
            }
        }
    }
}
