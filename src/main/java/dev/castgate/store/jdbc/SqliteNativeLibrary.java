package dev.castgate.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * SQLite's native library, kept in the user's cache folder. The driver otherwise copies it out
 * of the jar into the temporary folder at every start, reads it back to compare and sweeps old
 * copies, which took 50 to 70 ms of each start here. The copy is named by the driver's version
 * and written whole before it is moved into place, so concurrent starts and an interrupted one
 * never load half a file. When there is no cache folder to write, the driver does as it always did.
 */
final class SqliteNativeLibrary {
    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteNativeLibrary() {}

    /** Points the driver at the cached copy, making it first if needed; before the driver loads. */
    static synchronized void useCachedCopy() {
        if (System.getProperty(PATH_PROPERTY) != null) return; // chosen by the operator, or done already
        String name = System.mapLibraryName("sqlitejdbc");
        String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
        Path folder = cacheRoot().resolve("castgate").resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion()
                + "-" + OSInfo.getNativeLibFolderPathForCurrentOS().replace('/', '-'));
        Path library = folder.resolve(name);
        try {
            if (!Files.isRegularFile(library)) write(resource, library);
            System.setProperty(PATH_PROPERTY, folder.toString());
            System.setProperty(NAME_PROPERTY, name);
        } catch (IOException | RuntimeException e) {
            log.debug("SQLite's native library is not cached ({}); the driver extracts it itself", e.toString());
        }
    }

    private static void write(String resource, Path library) throws IOException {
        try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no " + resource + " in the driver");
            Files.createDirectories(library.getParent());
            Path part = Files.createTempFile(library.getParent(), library.getFileName().toString(), ".part");
            try {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(part, library, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, library, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(part);
            }
        }
    }

    /** $XDG_CACHE_HOME, else ~/.cache, as the XDG base directory specification says. */
    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg);
        return Path.of(System.getProperty("user.home"), ".cache");
    }
}
