package dev.castgate.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.castgate.config.ServerConfig.DatabaseConfig;
import dev.castgate.store.Changes;
import dev.castgate.store.DatabaseUnavailable;
import dev.castgate.store.Exclusive;
import dev.castgate.store.IssuanceWriter;
import dev.castgate.store.OutageLog;
import dev.castgate.store.PoolUse;
import dev.castgate.store.StoreObserver;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * The connection pool, the migrations and the transaction boundary. SQLite runs in WAL mode with
 * immediate transactions, so the server and the command-line tool can write to one file at once:
 * a writer waits for the lock (busy timeout) instead of failing when a read turns into a write.
 * Every wait on the database is bounded by {@code database.connect_timeout} and
 * {@code database.statement_timeout}; past them the caller gets a {@link DatabaseUnavailable}.
 */
public final class Database implements Transactions, Exclusive, AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Stores pooled;
    /** SQLite's one writer in this process; null on PostgreSQL. */
    private final SqliteWriteLock sqliteWriter;
    /** Closed while PostgreSQL is known to be away, so requests fail at once. */
    private final OutageGate gate;
    private final OutageLog outages;
    private final GroupCommitWriter issuances;
    /** SQLite's checkpoints, off the writer's path; null on PostgreSQL. */
    private final WalCheckpoints checkpoints;
    private final DatabaseConfig config;
    /** PostgreSQL's notices of other nodes' changes, once the server listens ({@link #listen}); else null. */
    private volatile ChangeListener changeListener;
    /** Told of audit events and batches; set once the server's metrics exist ({@link #observe}). */
    private volatile StoreObserver observer = StoreObserver.NONE;
    /** {@link #alone}'s locks on SQLite, by name. */
    private final Map<String, ReentrantLock> localLocks = new ConcurrentHashMap<>();

    private Database(HikariDataSource dataSource, DatabaseConfig config) {
        this.dataSource = dataSource;
        this.config = config;
        this.jdbi = Mappings.install(withoutBoundValues(Jdbi.create(dataSource)));
        this.outages = new OutageLog();
        this.gate = config.sqlite() ? OutageGate.never() : OutageGate.postgres(dataSource, outages, config.connectTimeout());
        this.pooled = stores(HandleSource.pooled(jdbi, dataSource, gate));
        this.sqliteWriter = config.sqlite() ? new SqliteWriteLock(config.statementTimeout()) : null;
        this.checkpoints = config.sqlite() ? new WalCheckpoints(jdbi, outages) : null;
        this.issuances = new GroupCommitWriter(jdbi, this::stores, () -> observer, sqliteWriter, checkpoints, gate, outages,
                GroupCommitWriter.longestWait(config.connectTimeout(), config.statementTimeout()));
    }

    /**
     * Jdbi words a failed statement's exception with every value bound to it by default, and the
     * error handler logs that exception: code and token hashes, user ids and nonces, on a failed
     * account write password hashes and emails. Its message keeps what failed and the statement
     * (named parameters, never values). PostgreSQL's own messages are kept free of values by
     * {@link ConnectionSettings}.
     */
    private static Jdbi withoutBoundValues(Jdbi jdbi) {
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> {
            StatementContext context = e.getStatementContext();
            String sql = context == null ? null : context.getRawSql();
            return sql == null ? e.getShortMessage() : e.getShortMessage() + " [statement: \"" + sql + "\"]";
        });
        return jdbi;
    }

    /** Opens the pool and applies pending migrations. */
    public static Database open(DatabaseConfig config) {
        HikariDataSource dataSource = new HikariDataSource(ConnectionSettings.of(config));
        try {
            Migrations.apply(dataSource, config.sqlite() ? "sqlite" : "postgresql");
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, config);
    }

    /** Stores that take a pooled connection per statement. */
    public Stores stores() { return pooled; }

    /** The group-commit writer that every issued token goes through. */
    public IssuanceWriter issuances() { return issuances; }

    /** The log of database failures, a line per kind and interval; the error renderer reports to it too. */
    public OutageLog outages() { return outages; }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
        return gate.guard(() -> {
            if (sqliteWriter == null) return jdbi.inTransaction(handle -> work.apply(stores(HandleSource.transaction(handle))));
            sqliteWriter.acquire();
            try {
                return SqliteWriteLock.inTransaction(jdbi, handle -> work.apply(stores(HandleSource.transaction(handle))));
            } finally {
                sqliteWriter.release();
            }
        });
    }

    /** For the metrics: read at each scrape, from the pool's own counters. */
    public PoolUse poolUse() {
        var pool = dataSource.getHikariPoolMXBean();
        if (pool == null) return new PoolUse(0, 0, 0, dataSource.getMaximumPoolSize(), 0);
        return new PoolUse(pool.getActiveConnections(), pool.getIdleConnections(), pool.getTotalConnections(),
                dataSource.getMaximumPoolSize(), pool.getThreadsAwaitingConnection());
    }

    /**
     * On PostgreSQL, tells {@code changes} of every revocation and client change any node commits
     * (see {@link ChangeListener}); on SQLite, which serves one node, nothing: its caches expire by
     * time alone. The server calls it once; the command-line tool, which caches nothing, does not.
     */
    public void listen(Changes changes) {
        if (!config.sqlite()) changeListener = new ChangeListener(config, changes);
    }

    /**
     * PostgreSQL: a session advisory lock named by {@code name}, tried (never waited for) on a
     * connection of its own ({@link DirectConnection}) held while {@code work} runs, and released
     * by the database itself if that connection dies, so a node that crashes mid-sweep blocks no one. SQLite serves one node: a
     * lock in this process.
     */
    @Override
    public <T> Optional<T> alone(String name, Supplier<T> work) {
        if (config.sqlite()) {
            ReentrantLock lock = localLocks.computeIfAbsent(name, n -> new ReentrantLock());
            if (!lock.tryLock()) return Optional.empty();
            try {
                return Optional.of(work.get());
            } finally {
                lock.unlock();
            }
        }
        try (Connection connection = DirectConnection.open(config, "castgate-" + name)) {
            if (!advisoryLock(connection, "pg_try_advisory_lock", name)) return Optional.empty();
            try {
                return Optional.of(work.get());
            } finally {
                advisoryLock(connection, "pg_advisory_unlock", name);
            }
        } catch (SQLException e) {
            Optional<DatabaseUnavailable.Kind> away = DatabaseUnavailable.of(e);
            if (away.isPresent()) throw new DatabaseUnavailable(away.get(), e);
            throw new IllegalStateException("cannot take the lock " + name, e);
        }
    }

    private static boolean advisoryLock(Connection connection, String function, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(hashtext(?))")) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** Tells {@code observer} of every audit event and write batch from now on. */
    public void observe(StoreObserver observer) { this.observer = observer; }

    private Stores stores(HandleSource source) {
        return new Stores(
                new JdbcClientStore(source),
                new JdbcUserStore(source),
                new JdbcGrantStore(source),
                new JdbcConsentStore(source),
                new JdbcAuthorizationCodeStore(source),
                new JdbcTokenStore(source),
                new JdbcSessionStore(source),
                new JdbcSigningKeyStore(source),
                new JdbcLoginFailureStore(source),
                new JdbcAuditStore(source, () -> observer),
                new JdbcHousekeepingStore(source),
                new JdbcServerSecretStore(source),
                new JdbcSealedValueStore(source),
                new JdbcDeviceCodeStore(source),
                new JdbcChannelStore(source),
                new JdbcVideoStore(source),
                new JdbcDevicePasswordStore(source),
                new JdbcRateLimitStore(source),
                new JdbcSecondFactorStore(source),
                new JdbcEmailLinkStore(source),
                new JdbcMailOutboxStore(source),
                new JdbcPasskeyStore(source),
                new JdbcRegistrationTokenStore(source),
                new JdbcClientRegistrationStore(source),
                new JdbcPushedAuthorizationRequestStore(source),
                new JdbcResourceStore(source),
                new JdbcLogoutDeliveryStore(source));
    }

    /**
     * Writes a consistent copy of the SQLite database into {@code file}, which must be empty or
     * absent: {@code VACUUM INTO} reads one snapshot (a read transaction, so writers go on beside
     * it, in this process and in a running server) and writes it compacted, with what the
     * write-ahead log holds included. Refused on PostgreSQL, whose own tools back it up.
     */
    public void copyInto(Path file) {
        if (sqliteWriter == null) throw new IllegalStateException("VACUUM INTO is SQLite's");
        jdbi.useHandle(h -> h.execute("VACUUM INTO ?", file.toAbsolutePath().toString()));
    }

    /** For tests and housekeeping: rows in a table. */
    public long count(String table) {
        if (!table.matches("[a-z_]+")) throw new IllegalArgumentException("bad table name");
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    /**
     * The readiness probe's question: does a write commit now? A read alone said "up" while a full
     * disk failed every write. The write changes no row: on SQLite it rewrites the header's user
     * version with its own value (a page to the log and a sync at commit, as any write), on
     * PostgreSQL it takes a transaction id (a commit record to flush; refused on a standby).
     * On SQLite a one-page write may still fit where a failed larger one left room at the end of
     * the log while the disk is full, so it also fails while the checkpoints cannot copy the log
     * back for the same reason ({@link WalCheckpoints#requireCopying}).
     * Throws what the database said when it cannot; the caller bounds how long it waits.
     */
    public void probeWrite() {
        gate.guard(() -> {
            if (sqliteWriter == null) {
                jdbi.useTransaction(h -> h.createQuery("SELECT txid_current()").mapTo(Long.class).one());
                return null;
            }
            checkpoints.requireCopying();
            sqliteWriter.acquire();
            try {
                SqliteWriteLock.inTransaction(jdbi, h -> h.execute("PRAGMA user_version = "
                        + h.createQuery("PRAGMA user_version").mapTo(Integer.class).one()));
            } finally {
                sqliteWriter.release();
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (changeListener != null) changeListener.close();
        gate.close();
        issuances.close();
        if (checkpoints != null) checkpoints.close();
        dataSource.close();
    }
}
