package dev.castgate;

import dev.castgate.config.ServerConfig.DatabaseConfig;
import dev.castgate.store.Stores;
import dev.castgate.store.Transactions;
import dev.castgate.store.jdbc.Database;
import java.nio.file.Path;

/**
 * The database the command-line tool works on: the server's own, opened by the tool, beside a
 * running server or without one. With {@link App}, the only code that knows how Castgate
 * stores its data; everything else sees the {@link Stores} interfaces.
 */
public final class Storage implements AutoCloseable {
    private final Database database;

    private Storage(Database database) { this.database = database; }

    /** The tool meets an unreachable database as the server does: one line, exit 2 ({@link StartFailure}). */
    public static Storage open(DatabaseConfig config) {
        try {
            return new Storage(Database.open(config));
        } catch (RuntimeException e) {
            throw StartFailure.database(e, config);
        }
    }

    public Stores stores() { return database.stores(); }

    /** For work that must change several rows at once (re-encrypting the keys at rest, disabling an account and revoking its grants). */
    public Transactions transactions() { return database; }

    /** A consistent copy of the SQLite database, taken while others write, into an empty or absent {@code file}. */
    public void copyInto(Path file) { database.copyInto(file); }

    @Override
    public void close() { database.close(); }
}
