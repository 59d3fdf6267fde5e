package dev.arcana.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain SQL on the IT servers' shared database, as another service or psql would write it. */
final class Database {
    private Database() {
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(ExampleServer.DB_URL, "postgres", "postgres");
    }

    /** Runs the statements in one transaction. */
    static void transaction(String... sql) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String each : sql) {
                    statement.execute(each);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    static long queryLong(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    static String queryText(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    static String insertTask(String id, String workspace, String title, int position) {
        return "insert into tasks (id, workspace_id, title, position) values ('" + id + "', '" + workspace + "', '"
                + title + "', " + position + ")";
    }
}
