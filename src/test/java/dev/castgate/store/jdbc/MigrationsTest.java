package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.castgate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up check that skips Flyway must say "current" exactly when Flyway has nothing to do; and migrations that change rows. */
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

    /**
     * V17 on a database written before keys rotated: every key gets a generation and activates when
     * it was made; the extra keys two nodes made when they first started at once, which never signed
     * (every node signed with the oldest), are retired and their key material deleted.
     */
    @Test
    void olderKeysGetGenerationsAndARacesExtraKeysAreRetired() throws SQLException {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/common").target("14").load().migrate();
        execute("INSERT INTO signing_keys (kid, algorithm, jwk, created_at) VALUES ('rs-first', 'RS256', 'v1:rs-first', 1000), "
                + "('rs-second', 'RS256', 'v1:rs-second', 1000), ('rs-later', 'RS256', 'v1:rs-later', 2000), "
                + "('es-only', 'ES256', 'v1:es-only', 1500)");

        Migrations.apply(dataSource, vendor);

        assertThat(rows()).containsExactly(
                "es-only ES256 generation 0 activates 1500 retired null jwk v1:es-only",
                "rs-first RS256 generation 0 activates 1000 retired null jwk v1:rs-first",
                "rs-later RS256 generation 2 activates 2000 retired 2000 jwk ",
                "rs-second RS256 generation 1 activates 1000 retired 1000 jwk ");
        // One key per algorithm and generation: the second writer of a generation is refused.
        assertThatThrownBy(() -> execute("INSERT INTO signing_keys (kid, algorithm, jwk, created_at, generation, activates_at) "
                + "VALUES ('es-twin', 'ES256', 'v1:es-twin', 3000, 0, 3000)")).isInstanceOf(SQLException.class);
    }

    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT kid, algorithm, generation, activates_at, retired_at, jwk FROM signing_keys ORDER BY kid")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " generation " + rs.getInt(3) + " activates " + rs.getLong(4)
                        + " retired " + rs.getString(5) + " jwk " + rs.getString(6));
            }
        }
        return rows;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
