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
 *
 * <p>The folder is named by the JVM's own names for the system and the processor: asking the driver
 * which of its builds fits runs {@code uname} in a child process (50 ms of each start here), so it
 * is asked only when the copy is made. A home folder shared by hosts the names do not tell apart
 * (glibc and musl) costs nothing worse than before: the driver refuses a library that does not
 * load and extracts its own.
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
        Path folder = cacheRoot().resolve("castgate").resolve(folderName(SQLiteJDBCLoader.getVersion(),
                System.getProperty("os.name"), System.getProperty("os.arch")));
        Path library = folder.resolve(name);
        try {
            if (!Files.isRegularFile(library)) {
                write("/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name, library);
            }
            System.setProperty(PATH_PROPERTY, folder.toString());
            System.setProperty(NAME_PROPERTY, name);
        } catch (IOException | RuntimeException e) {
            log.debug("SQLite's native library is not cached ({}); the driver extracts it itself", e.toString());
        }
    }

    /** The cache folder's name: the driver's version, the system and the processor, as a file name. */
    static String folderName(String driverVersion, String os, String arch) {
        return ("sqlite-jdbc-" + driverVersion + "-" + os + "-" + arch).replaceAll("[^A-Za-z0-9._-]", "_");
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
