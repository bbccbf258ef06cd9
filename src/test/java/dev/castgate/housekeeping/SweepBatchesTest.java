package dev.castgate.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.castgate.store.HousekeepingStore;
import dev.castgate.testing.CastgateServer;
import dev.castgate.testing.Sql;
import dev.castgate.testing.TestDatabase;
import dev.castgate.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Housekeeping deletes in bounded transactions until nothing is left (README, Audit trail and
 * housekeeping), and one node sweeps at a time: on PostgreSQL a node skips its sweep while
 * another holds the advisory lock, as this test holds it from a connection of its own.
 */
class SweepBatchesTest {
    private static final int OLD_EVENTS = 2 * Housekeeper.BATCH + 345;

    @CastgateServer TestServer server;

    @Test
    void aSweepGoesOnPastOneBatchUntilEverythingExpiredIsGone() throws SQLException {
        insertOldAuditEvents(OLD_EVENTS);

        HousekeepingStore.Deleted deleted = server.sweep();

        assertThat(deleted.auditEvents()).isEqualTo(OLD_EVENTS);
        assertThat(Sql.count(server, "SELECT COUNT(*) FROM audit_events WHERE id LIKE 'old-%'")).isZero();
    }

    @Test
    void aNodeSkipsItsSweepWhileAnotherSweeps() throws SQLException {
        insertOldAuditEvents(10);
        if (TestDatabase.postgres()) {
            try (Connection other = DriverManager.getConnection(server.jdbcUrl())) {
                assertThat(advisory(other, "pg_try_advisory_lock")).isTrue();
                assertThat(server.sweep()).isEqualTo(HousekeepingStore.Deleted.NONE);
                assertThat(Sql.count(server, "SELECT COUNT(*) FROM audit_events WHERE id LIKE 'old-%'")).isEqualTo(10);
                assertThat(advisory(other, "pg_advisory_unlock")).isTrue();
            }
        }
        assertThat(server.sweep().auditEvents()).isEqualTo(10);
    }

    private boolean advisory(Connection c, String function) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + function + "(hashtext(?))")) {
            st.setString(1, Housekeeper.LOCK);
            try (ResultSet r = st.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    /** Audit events older than the retention (90 days), written as the server writes them. */
    private void insertOldAuditEvents(int n) throws SQLException {
        long old = server.clock().instant().minus(Duration.ofDays(100)).toEpochMilli();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl());
             PreparedStatement st = c.prepareStatement("INSERT INTO audit_events (id, occurred_at, event_type, outcome) VALUES (?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                st.setString(1, String.format("old-%06d", i));
                st.setLong(2, old);
                st.setString(3, "LOGIN");
                st.setString(4, "FAILURE");
                st.addBatch();
            }
            st.executeBatch();
            c.commit();
        }
    }
}
