package dev.castgate.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The schema migrations (Flyway, from {@code db/migration}). Flyway scans the jar for migration
 * files and reads its whole history at each start, which took a fifth of a second here; when the
 * history already ends at this build's newest migration, successfully, there is nothing to apply
 * and one query says so. Any other state (a new database, a pending or failed migration, a
 * database a newer build has migrated further) goes through Flyway, which applies, refuses or
 * tolerates it as it always did. Flyway runs in a class loader of its own ({@link FlywayLoader}).
 */
public final class Migrations {
    /** This build's newest migration, V{LATEST}__*.sql; a test checks it against the files. */
    static final int LATEST = 28;

    private Migrations() {}

    /** Applies pending migrations, or finds quickly that there are none. */
    public static void apply(DataSource dataSource, String vendor) {
        if (current(dataSource)) return;
        List<String> locations = new ArrayList<>(List.of("classpath:db/migration/common"));
        // A vendor folder holds only what cannot be portable; it exists only when needed.
        if (Migrations.class.getClassLoader().getResource("db/migration/" + vendor) != null) {
            locations.add("classpath:db/migration/" + vendor);
        }
        FlywayLoader.migrate(dataSource, locations.toArray(String[]::new));
    }

    /** Whether the last migration in the history is LATEST and it succeeded. */
    static boolean current(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            // Flyway's history table, by its default name; a missing table is a new database.
            try (ResultSet last = statement.executeQuery("SELECT version, success FROM flyway_schema_history "
                    + "WHERE version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
                return last.next() && Integer.toString(LATEST).equals(last.getString(1)) && last.getBoolean(2);
            } catch (SQLException noHistory) {
                // PostgreSQL aborts the transaction on an error; leave the connection clean for the pool.
                if (!connection.getAutoCommit()) connection.rollback();
                return false;
            }
        } catch (SQLException e) {
            return false;
        }
    }
}
