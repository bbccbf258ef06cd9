package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.castgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up check that skips Flyway must say "current" exactly when Flyway has nothing to do. */
class MigrationsTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    private TestDatabase database;
    private HikariDataSource dataSource;
    private String vendor;

    @BeforeEach
    void open() {
        database = TestDatabase.create();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setMaximumPoolSize(2);
        dataSource = new HikariDataSource(config);
        vendor = TestDatabase.postgres() ? "postgresql" : "sqlite";
    }

    @AfterEach
    void close() {
        dataSource.close();
        database.close();
    }

    @Test
    void latestIsTheNewestMigrationFile() throws Exception {
        Path root = Path.of(Migrations.class.getResource("/db/migration").toURI());
        int newest;
        try (Stream<Path> files = Files.walk(root)) {
            newest = files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max().orElseThrow();
        }
        assertThat(Migrations.LATEST).as("Migrations.LATEST after adding V%d", newest).isEqualTo(newest);
    }

    @Test
    void aNewDatabaseIsNotCurrentUntilMigrated() {
        assertThat(Migrations.current(dataSource)).isFalse();
        Migrations.apply(dataSource, vendor);
        assertThat(Migrations.current(dataSource)).isTrue();
        Migrations.apply(dataSource, vendor); // nothing to do, and no error
        assertThat(Migrations.current(dataSource)).isTrue();
    }

    @Test
    void aDatabaseANewerBuildMigratedFurtherIsNotCurrentAndStillOpens() throws SQLException {
        Migrations.apply(dataSource, vendor);
        int next = Migrations.LATEST + 1;
        execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                + "installed_by, execution_time, success) SELECT max(installed_rank) + 1, '" + next + "', 'newer', 'SQL', "
                + "'V" + next + "__newer.sql', 0, 'test', 1, " + (TestDatabase.postgres() ? "true" : "1")
                + " FROM flyway_schema_history");
        assertThat(Migrations.current(dataSource)).isFalse();
        // Flyway tolerates migrations from the future, as it did before the quick check.
        Migrations.apply(dataSource, vendor);
    }

    @Test
    void aFailedLastMigrationIsNotCurrent() throws SQLException {
        Migrations.apply(dataSource, vendor);
        execute("UPDATE flyway_schema_history SET success = " + (TestDatabase.postgres() ? "false" : "0")
                + " WHERE version = '" + Migrations.LATEST + "'");
        assertThat(Migrations.current(dataSource)).isFalse();
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
