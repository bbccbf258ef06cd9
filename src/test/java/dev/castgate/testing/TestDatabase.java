package dev.castgate.testing;

import dev.castgate.crypto.KeyEncryptionKey;
import dev.castgate.keys.KeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty database for one test server: a new SQLite file, or a new PostgreSQL database
 * on the server that {@code CASTGATE_TEST_JDBC_URL} names. Which one is chosen by the system
 * property {@code castgate.test.database}, set by each of the build's two test runs. Each has a
 * folder of its own: the SQLite file's, where the server makes its key file, or, for PostgreSQL,
 * one holding a key file made for it.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String jdbcUrl;
    private final Path folder;
    private final Runnable drop;

    private TestDatabase(String jdbcUrl, Path folder, Runnable drop) {
        this.jdbcUrl = jdbcUrl;
        this.folder = folder;
        this.drop = drop;
    }

    public static boolean postgres() {
        return "postgresql".equals(System.getProperty("castgate.test.database", "sqlite"));
    }

    public static TestDatabase create() {
        return postgres() ? createPostgres() : createSqlite();
    }

    public String jdbcUrl() { return jdbcUrl; }

    /** On PostgreSQL, the key file made for this database; on SQLite, where the server makes its own. */
    public Path keyFile() { return folder.resolve("encryption.key"); }

    /**
     * The key file setting a server on this database needs: on PostgreSQL the file made for it
     * (else a node in development would make one in the working directory's data folder); none on
     * SQLite, whose server makes its own beside the database.
     */
    public Map<String, String> keySetting() {
        return postgres() ? Map.of("CASTGATE_KEYS_ENCRYPTION_KEY_FILE", keyFile().toString()) : Map.of();
    }

    private static TestDatabase createSqlite() {
        try {
            Path dir = Files.createTempDirectory("castgate-test");
            Path file = dir.resolve("castgate.db");
            return new TestDatabase("jdbc:sqlite:" + file, dir, () -> deleteQuietly(dir));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** In CI a missing PostgreSQL fails the run; elsewhere the PostgreSQL run is skipped with a note. */
    private static TestDatabase createPostgres() {
        String adminUrl = System.getenv().getOrDefault("CASTGATE_TEST_JDBC_URL", DEFAULT_POSTGRES_URL);
        String name = "castgate_t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("PostgreSQL is required in CI but did not answer at " + adminUrl, e);
            }
            Assumptions.abort("PostgreSQL is not reachable at " + adminUrl + "; the PostgreSQL run is skipped: " + e.getMessage());
        }
        String url = withDatabase(adminUrl, name);
        Path dir;
        try {
            dir = Files.createTempDirectory("castgate-test");
            KeyFile.writeNew(dir.resolve("encryption.key"), KeyEncryptionKey.generate());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return new TestDatabase(url, dir, () -> {
            deleteQuietly(dir);
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException ignored) {
                // A leftover test database is harmless; the next run uses a new name.
            }
        });
    }

    /** Swaps the database name in a jdbc:postgresql://host:port/name?params URL. */
    static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // temporary files; the OS cleans up what is left
        }
    }

    @Override
    public void close() { drop.run(); }
}
