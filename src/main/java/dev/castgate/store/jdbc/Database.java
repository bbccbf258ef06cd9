package dev.castgate.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ServerConfig.DatabaseConfig;
import dev.castgate.store.IssuanceWriter;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool, the migrations and the transaction boundary. SQLite runs in WAL mode with
 * immediate transactions, so the server and the command-line tool can write to one file at once:
 * a writer waits for the lock (busy timeout) instead of failing when a read turns into a write.
 */
public final class Database implements Transactions, AutoCloseable {
    private final HikariDataSource dataSource;
    /** How long a SQLite connection waits for another process's write lock (the command-line tool's). */
    static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

    private final Jdbi jdbi;
    private final Stores pooled;
    /**
     * SQLite has one writer at a time. Queueing this process's transactions on a lock, rather
     * than in SQLite's busy handler, keeps waiting writers out of its sleep-and-retry backoff
     * (which cut throughput tenfold under load) and out of native code.
     */
    private final ReentrantLock sqliteWriter;
    private final GroupCommitWriter issuances;
    /** SQLite's checkpoints, off the writer's path; null on PostgreSQL. */
    private final WalCheckpoints checkpoints;

    private Database(HikariDataSource dataSource, boolean sqlite) {
        this.dataSource = dataSource;
        this.jdbi = Mappings.install(Jdbi.create(dataSource));
        this.pooled = stores(HandleSource.pooled(jdbi, dataSource));
        this.sqliteWriter = sqlite ? new ReentrantLock(true) : null;
        this.checkpoints = sqlite ? new WalCheckpoints(jdbi) : null;
        this.issuances = new GroupCommitWriter(jdbi, Database::stores, sqliteWriter, checkpoints);
    }

    /** Opens the pool and applies pending migrations. */
    public static Database open(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setPoolName("castgate");
        if (!config.username().isEmpty()) hikari.setUsername(config.username());
        if (!config.password().isEmpty()) hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        if (config.sqlite()) {
            Path file = Path.of(ConfigLoader.sqlitePath(config.jdbcUrl()));
            Path parent = file.toAbsolutePath().getParent();
            try {
                if (parent != null) Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the database folder " + parent, e);
            }
            SqliteNativeLibrary.useCachedCopy();
            hikari.addDataSourceProperty("journal_mode", "WAL");
            // FULL syncs the write-ahead log at every commit, so a committed token survives a power
            // loss or an OS crash too, not only a killed process; group commit makes that one
            // sync per batch of requests. NORMAL syncs only at checkpoints.
            hikari.addDataSourceProperty("synchronous", config.sqliteSynchronous().name());
            hikari.addDataSourceProperty("busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MILLIS));
            // Checkpoints run on a thread of their own (WalCheckpoints), not inside a commit; once
            // the log has been copied back and starts over, its file is cut back to 64 MiB.
            hikari.addDataSourceProperty("wal_autocheckpoint", "0");
            hikari.addDataSourceProperty("journal_size_limit", Long.toString(64L << 20));
            hikari.addDataSourceProperty("foreign_keys", "true");
            hikari.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        }
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Migrations.apply(dataSource, config.sqlite() ? "sqlite" : "postgresql");
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, config.sqlite());
    }

    /** Stores that take a pooled connection per statement. */
    public Stores stores() { return pooled; }

    /** The group-commit writer that every issued token goes through. */
    public IssuanceWriter issuances() { return issuances; }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
        if (sqliteWriter == null) return jdbi.inTransaction(handle -> work.apply(stores(HandleSource.transaction(handle))));
        sqliteWriter.lock();
        try {
            return jdbi.inTransaction(handle -> work.apply(stores(HandleSource.transaction(handle))));
        } finally {
            sqliteWriter.unlock();
        }
    }

    static Stores stores(HandleSource source) {
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
                new JdbcAuditStore(source),
                new JdbcHousekeepingStore(source),
                new JdbcServerSecretStore(source),
                new JdbcDeviceCodeStore(source),
                new JdbcChannelStore(source),
                new JdbcVideoStore(source),
                new JdbcDevicePasswordStore(source),
                new JdbcRateLimitStore(source));
    }

    /** For tests and housekeeping: rows in a table. */
    public long count(String table) {
        if (!table.matches("[a-z_]+")) throw new IllegalArgumentException("bad table name");
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    /** Whether the database answers a trivial query, for the readiness probe. */
    public boolean ready() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        issuances.close();
        if (checkpoints != null) checkpoints.close();
        dataSource.close();
    }
}
