package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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
        Path library = Path.of(folder, name);
        try (InputStream original = SqliteNativeLibrary.class.getResourceAsStream(
                "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name)) {
            assertThat(Files.readAllBytes(library)).isEqualTo(original.readAllBytes());
        }
        try (var leftovers = Files.list(library.getParent())) {
            assertThat(leftovers.filter(f -> f.toString().endsWith(".part"))).as("no partial copies left").isEmpty();
        }
    }
}
