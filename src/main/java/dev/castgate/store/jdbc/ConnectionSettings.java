package dev.castgate.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ServerConfig.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The pool's and the drivers' settings. Every wait is bounded: the pool waits
 * {@code database.connect_timeout} for a connection; on PostgreSQL a new connection gets as long
 * to connect and sign in, a statement {@code database.statement_timeout}, and a connection silent
 * for both together is given up (a frozen server answers nothing, and without a socket timeout a
 * request waited for it forever). On SQLite the statement timeout is the busy timeout: how long a
 * write waits for another process's lock. Settings written in the URL itself win over these.
 */
final class ConnectionSettings {
    private ConnectionSettings() {}

    static HikariConfig of(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("castgate");
        if (!config.username().isEmpty()) hikari.setUsername(config.username());
        if (!config.password().isEmpty()) hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        long connectMillis = config.connectTimeout().toMillis();
        hikari.setConnectionTimeout(connectMillis);
        // The pool checks an idle connection before lending it; within the same wait.
        hikari.setValidationTimeout(Math.max(250, connectMillis / 2));
        if (config.sqlite()) {
            sqlite(hikari, config);
        } else {
            hikari.setJdbcUrl(config.jdbcUrl());
            String connectSeconds = Long.toString(seconds(config.connectTimeout()));
            hikari.addDataSourceProperty("connectTimeout", connectSeconds);
            hikari.addDataSourceProperty("loginTimeout", connectSeconds);
            hikari.addDataSourceProperty("socketTimeout", Long.toString(seconds(config.statementTimeout().plus(config.connectTimeout()))));
            hikari.addDataSourceProperty("options", "-c statement_timeout=" + config.statementTimeout().toMillis());
            // The server's detail quotes the refused row ("Failing row contains ...") and the driver
            // a refused batch's statement with its values; exceptions are logged, values never are.
            hikari.addDataSourceProperty("logServerErrorDetail", "false");
        }
        return hikari;
    }

    private static void sqlite(HikariConfig hikari, DatabaseConfig config) {
        Path file = Path.of(ConfigLoader.sqlitePath(config.jdbcUrl()));
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database folder " + parent, e);
        }
        SqliteNativeLibrary.useCachedCopy();
        Properties pragmas = new Properties();
        pragmas.setProperty("journal_mode", "WAL");
        // FULL syncs the write-ahead log at every commit, so a committed token survives a power
        // loss or an OS crash too, not only a killed process; group commit makes that one
        // sync per batch of requests. NORMAL syncs only at checkpoints.
        pragmas.setProperty("synchronous", config.sqliteSynchronous().name());
        pragmas.setProperty("busy_timeout", Long.toString(config.statementTimeout().toMillis()));
        // Checkpoints run on a thread of their own (WalCheckpoints), not inside a commit; once
        // the log has been copied back and starts over, its file is cut back to 64 MiB.
        pragmas.setProperty("wal_autocheckpoint", "0");
        pragmas.setProperty("journal_size_limit", Long.toString(64L << 20));
        pragmas.setProperty("foreign_keys", "true");
        // Each pooled connection keeps its own page cache in the process, copies of pages the
        // operating system caches once already. With SQLite's default of 2 MiB a connection the
        // server held about 10 MB more after a mixed token and introspection load than with
        // 256 KiB (one run each); introspection on a 130 MB database ran as fast with 512 KiB as
        // with 2 MiB (three alternating runs each), the inner pages of its indexes staying cached.
        pragmas.setProperty("cache_size", "-512");
        pragmas.setProperty("transaction_mode", "IMMEDIATE");
        // The driver's connections, keeping their prepared statements (see SqliteConnections).
        hikari.setDataSource(new SqliteConnections(config.jdbcUrl(), pragmas));
    }

    /** The PostgreSQL driver counts its timeouts in whole seconds; rounded up, never 0 (which means none). */
    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
