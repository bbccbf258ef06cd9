package dev.castgate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One statement run for many rows as a JDBC batch: one round trip on PostgreSQL, one prepared
 * statement on SQLite. Plain JDBC rather than Jdbi, because it runs on the group-commit writer's
 * one thread, where Jdbi's per-argument machinery cost more than the statements themselves.
 */
final class JdbcBatch {
    private JdbcBatch() {}

    /** Sets one row's parameters. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** Runs {@code sql} once per row; the update count of each row, in order. */
    static <T> int[] execute(Connection connection, String sql, List<T> rows, Binder<T> binder) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
            }
            return statement.executeBatch();
        } catch (SQLException e) {
            // Only the statement is named: bound values may be secrets' hashes or a person's data.
            throw new BatchFailure("a batch of " + rows.size() + " failed (SQLState " + e.getSQLState() + "): " + sql, e);
        }
    }

    /** A batch statement failed; the cause holds the driver's error. */
    static final class BatchFailure extends RuntimeException {
        BatchFailure(String message, SQLException cause) { super(message, cause); }
    }
}
