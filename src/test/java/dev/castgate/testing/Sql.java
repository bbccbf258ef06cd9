package dev.castgate.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain SQL on a test server's database, on a connection of its own, for tests that check rows the server wrote. */
public final class Sql {
    private Sql() {}

    /** The one number a {@code SELECT COUNT(*) ...} answers, with {@code params} bound in order. */
    public static long count(TestServer server, String sql, Object... params) {
        List<Map<String, Object>> rows = rows(server, sql, params);
        return ((Number) rows.get(0).values().iterator().next()).longValue();
    }

    /** Every row, each a map from lower-case column names to values. */
    public static List<Map<String, Object>> rows(TestServer server, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl()); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) st.setObject(i + 1, params[i]);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot run " + sql, e);
        }
    }
}
