package dev.castgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.castgate.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V17 on a database written before keys rotated: every key gets a generation and activates when it
 * was made; the extra keys two nodes made when they first started at once, which never signed
 * (every node signed with the oldest), are retired and their key material deleted.
 */
class SigningKeyMigrationTest {
    private TestDatabase database;
    private HikariDataSource dataSource;

    @BeforeEach
    void open() {
        database = TestDatabase.create();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setMaximumPoolSize(2);
        dataSource = new HikariDataSource(config);
    }

    @AfterEach
    void close() {
        dataSource.close();
        database.close();
    }

    @Test
    void olderKeysGetGenerationsAndARacesExtraKeysAreRetired() throws SQLException {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/common").target("14").load().migrate();
        execute("INSERT INTO signing_keys (kid, algorithm, jwk, created_at) VALUES ('rs-first', 'RS256', 'v1:rs-first', 1000), "
                + "('rs-second', 'RS256', 'v1:rs-second', 1000), ('rs-later', 'RS256', 'v1:rs-later', 2000), "
                + "('es-only', 'ES256', 'v1:es-only', 1500)");

        Migrations.apply(dataSource, TestDatabase.postgres() ? "postgresql" : "sqlite");

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
