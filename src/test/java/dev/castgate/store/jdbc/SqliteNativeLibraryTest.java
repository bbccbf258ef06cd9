package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/** The driver is pointed at a whole copy of its own native library, kept out of the temporary folder. */
class SqliteNativeLibraryTest {
    @Test
    void theDriverLoadsAWholeCopyOfItsLibraryFromTheCacheFolder() throws Exception {
        SqliteNativeLibrary.useCachedCopy();
        String folder = System.getProperty("org.sqlite.lib.path");
        String name = System.getProperty("org.sqlite.lib.name");
        assertThat(folder).as("the cache folder is used").isNotNull().doesNotStartWith(System.getProperty("java.io.tmpdir"));
        assertThat(name).isEqualTo(System.mapLibraryName("sqlitejdbc"));
        assertThat(Path.of(folder).getFileName().toString()).as("named without asking the driver, which runs uname")
                .isEqualTo(SqliteNativeLibrary.folderName(SQLiteJDBCLoader.getVersion(),
                        System.getProperty("os.name"), System.getProperty("os.arch")));
        Path library = Path.of(folder, name);
        try (InputStream original = SqliteNativeLibrary.class.getResourceAsStream(
                "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name)) {
            assertThat(Files.readAllBytes(library)).isEqualTo(original.readAllBytes());
        }
        try (var leftovers = Files.list(library.getParent())) {
            assertThat(leftovers.filter(f -> f.toString().endsWith(".part"))).as("no partial copies left").isEmpty();
        }
    }

    @Test
    void theFolderNameIsAPlainFileName() {
        assertThat(SqliteNativeLibrary.folderName("3.54.1.0", "Mac OS X", "aarch64"))
                .isEqualTo("sqlite-jdbc-3.54.1.0-Mac_OS_X-aarch64");
        assertThat(SqliteNativeLibrary.folderName("3.54.1.0", "Linux", "amd64/../x")).doesNotContain("/");
    }
}
