package dev.arcana.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The scenario's data, made fresh per run in workspaces of its own ({@code load-<run>-<n>}), and the
 * fresh queries the clients' final state is compared with.
 */
final class Fixture {
    private final String jdbcUrl;
    private final List<String> workspaces = new ArrayList<>();
    private final Map<String, List<String>> tasksByWorkspace = new LinkedHashMap<>();
    private final Map<String, String> workspaceOfTask = new HashMap<>();

    private Fixture(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
    }

    /** Inserts {@code tasks} tasks into each of {@code count} new workspaces, positions 0..tasks-1. */
    static Fixture create(String jdbcUrl, String prefix, int count, int tasks) throws SQLException {
        Fixture fixture = new Fixture(jdbcUrl);
        try (Connection c = connect(jdbcUrl); PreparedStatement insert = c.prepareStatement(
                "insert into tasks (id, workspace_id, title, done, position) values (?, ?, 'init', false, ?)")) {
            c.setAutoCommit(false);
            for (int w = 0; w < count; w++) {
                String workspace = prefix + "-" + w;
                fixture.workspaces.add(workspace);
                List<String> ids = new ArrayList<>();
                for (int t = 0; t < tasks; t++) {
                    UUID id = UUID.randomUUID();
                    insert.setObject(1, id);
                    insert.setString(2, workspace);
                    insert.setInt(3, t);
                    insert.addBatch();
                    ids.add(id.toString());
                    fixture.workspaceOfTask.put(id.toString(), workspace);
                }
                fixture.tasksByWorkspace.put(workspace, ids);
                if (w % 100 == 99) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            c.commit();
        }
        return fixture;
    }

    List<String> workspaces() {
        return workspaces;
    }

    List<String> tasksOf(String workspace) {
        return tasksByWorkspace.get(workspace);
    }

    List<String> allTasks() {
        return new ArrayList<>(workspaceOfTask.keySet());
    }

    String workspaceOf(String taskId) {
        return workspaceOfTask.get(taskId);
    }

    /** The task_list view of a workspace as a fresh query answers it: limit → rows in view order. */
    Map<Integer, List<TaskRow>> truth(Connection c, String workspace, List<Integer> limits) throws SQLException {
        List<TaskRow> all = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(
                "select id, title, done, position from tasks where workspace_id = ? order by position, id")) {
            query.setString(1, workspace);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    all.add(new TaskRow(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4)));
                }
            }
        }
        Map<Integer, List<TaskRow>> byLimit = new HashMap<>();
        for (int limit : limits) {
            byLimit.put(limit, List.copyOf(all.subList(0, Math.min(limit, all.size()))));
        }
        return byLimit;
    }

    /** Task id → current title in the database, for every task of the fixture. */
    Map<String, String> titles(Connection c, String workspace) throws SQLException {
        Map<String, String> titles = new HashMap<>();
        try (PreparedStatement query = c.prepareStatement("select id, title from tasks where workspace_id = ?")) {
            query.setString(1, workspace);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    titles.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return titles;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }
}
