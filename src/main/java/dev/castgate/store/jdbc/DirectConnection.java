package dev.castgate.store.jdbc;

import dev.castgate.config.ServerConfig.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL connection of its own, outside the pool, for work that holds one for long: the
 * change listener's LISTEN, housekeeping's advisory lock. Held from the pool, either would take a
 * connection from the requests for as long, and with a pool of one, the sweep's own batches would
 * wait for the connection its lock holds.
 */
final class DirectConnection {
    private DirectConnection() {}

    static Connection open(DatabaseConfig config, String applicationName) throws SQLException {
        Properties properties = new Properties();
        if (!config.username().isEmpty()) properties.setProperty("user", config.username());
        if (!config.password().isEmpty()) properties.setProperty("password", config.password());
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, config.connectTimeout().toSeconds())));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("logServerErrorDetail", "false");
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(config.jdbcUrl(), properties);
    }
}
