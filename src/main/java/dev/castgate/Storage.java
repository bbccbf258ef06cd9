package dev.castgate;

import dev.castgate.config.ServerConfig.DatabaseConfig;
import dev.castgate.store.Stores;
import dev.castgate.store.jdbc.Database;

/**
 * The database the command-line tool works on: the server's own, opened by the tool, beside a
 * running server or without one. With {@link App}, the only code that knows how Castgate
 * stores its data; everything else sees the {@link Stores} interfaces.
 */
public final class Storage implements AutoCloseable {
    private final Database database;

    private Storage(Database database) { this.database = database; }

    public static Storage open(DatabaseConfig config) { return new Storage(Database.open(config)); }

    public Stores stores() { return database.stores(); }

    @Override
    public void close() { database.close(); }
}
