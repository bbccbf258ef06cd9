package dev.castgate.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Where a store's statements run: a pooled connection per call, or one open transaction. */
final class HandleSource {
    private static final Runnable NOTHING = () -> { };

    /** Statements on a plain JDBC connection. */
    @FunctionalInterface
    interface SqlWork<R> {
        R apply(Connection connection) throws SQLException;
    }

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final Handle transaction;
    private final Runnable beforeUse;
    /** Pooled statements fail at once while the database is known to be away; a transaction's owner guards it. */
    private final OutageGate gate;

    private HandleSource(Jdbi jdbi, DataSource dataSource, Handle transaction, Runnable beforeUse, OutageGate gate) {
        this.jdbi = jdbi;
        this.dataSource = dataSource;
        this.transaction = transaction;
        this.beforeUse = beforeUse;
        this.gate = gate;
    }

    static HandleSource pooled(Jdbi jdbi, DataSource dataSource, OutageGate gate) {
        return new HandleSource(jdbi, dataSource, null, NOTHING, gate);
    }

    static HandleSource transaction(Handle handle) { return new HandleSource(null, null, handle, NOTHING, null); }

    /**
     * A transaction whose every statement first runs {@code beforeUse}: the group-commit writer
     * writes the rows it holds back before a later unit reads or changes anything, so each unit
     * sees the batch's earlier units as if each had committed alone.
     */
    static HandleSource transaction(Handle handle, Runnable beforeUse) { return new HandleSource(null, null, handle, beforeUse, null); }

    <R> R with(Function<Handle, R> work) {
        if (transaction == null) return gate.guard(() -> jdbi.withHandle(work::apply));
        beforeUse.run();
        return work.apply(transaction);
    }

    /**
     * The same on plain JDBC, for the read every resource server's request makes (introspection),
     * where Jdbi's handle and statement machinery cost more than the query: about 10,000
     * introspections a second against 5,700 through Jdbi, here. Failures are Jdbi's exceptions,
     * as every other statement's are.
     */
    <R> R withConnection(SqlWork<R> work) {
        return transaction == null ? gate.guard(() -> onConnection(work)) : onConnection(work);
    }

    private <R> R onConnection(SqlWork<R> work) {
        Connection connection;
        if (transaction != null) {
            beforeUse.run();
            connection = transaction.getConnection();
        } else {
            try {
                connection = dataSource.getConnection();
            } catch (SQLException e) {
                throw new ConnectionException(e);
            }
        }
        try (Connection pooled = transaction == null ? connection : null) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    void run(java.util.function.Consumer<Handle> work) {
        with(h -> { work.accept(h); return null; });
    }

    // The statements most stores are made of: named parameters, bound by the types registered in
    // Mappings, and rows mapped by the row mappers registered there. A statement with a null
    // parameter, or anything else, uses with() directly.

    /** The one row a query may find. */
    <T> Optional<T> findOne(Class<T> type, String sql, Map<String, ?> params) {
        return with(h -> h.createQuery(sql).bindMap(params).mapTo(type).findOne());
    }

    /** The one row a query must find. */
    <T> T one(Class<T> type, String sql, Map<String, ?> params) {
        return with(h -> h.createQuery(sql).bindMap(params).mapTo(type).one());
    }

    /** Every row a query finds. */
    <T> List<T> list(Class<T> type, String sql, Map<String, ?> params) {
        return with(h -> h.createQuery(sql).bindMap(params).mapTo(type).list());
    }

    /** How many rows a statement changed. */
    int update(String sql, Map<String, ?> params) {
        return with(h -> h.createUpdate(sql).bindMap(params).execute());
    }
}
