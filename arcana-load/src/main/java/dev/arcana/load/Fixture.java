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
    private final Map<String, List<String>> peopleByWorkspace = new HashMap<>();
    private final Map<String, String> workspaceOfTask = new HashMap<>();

    private Fixture(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
    }

    /**
     * Inserts {@code tasks} tasks into each of {@code count} new workspaces, positions 0..tasks-1;
     * with {@code personPerTask}, each task is assigned to a person of its own (inserted too).
     */
    static Fixture create(String jdbcUrl, String prefix, int count, int tasks, boolean personPerTask)
            throws SQLException {
        Fixture fixture = new Fixture(jdbcUrl);
        try (Connection c = connect(jdbcUrl);
             PreparedStatement person = c.prepareStatement("insert into users (id, workspace_id, org_id, name, email, "
                     + "role) values (?, ?, '00000000-0000-4000-8000-0000000010ad', ?, ?, 'member')");
             PreparedStatement insert = c.prepareStatement("insert into tasks (id, workspace_id, title, done, position, "
                     + "assignee_id) values (?, ?, 'init', false, ?, ?)")) {
            c.setAutoCommit(false);
            for (int w = 0; w < count; w++) {
                String workspace = prefix + "-" + w;
                fixture.workspaces.add(workspace);
                List<String> ids = new ArrayList<>();
                List<String> people = new ArrayList<>();
                for (int t = 0; t < tasks; t++) {
                    UUID assignee = null;
                    if (personPerTask) {
                        assignee = UUID.randomUUID();
                        person.setObject(1, assignee);
                        person.setString(2, workspace);
                        person.setString(3, "person " + t);
                        person.setString(4, "p" + t + "@load.test");
                        person.addBatch();
                        people.add(assignee.toString());
                    }
                    UUID id = UUID.randomUUID();
                    insert.setObject(1, id);
                    insert.setString(2, workspace);
                    insert.setInt(3, t);
                    insert.setObject(4, assignee);
                    insert.addBatch();
                    ids.add(id.toString());
                    fixture.workspaceOfTask.put(id.toString(), workspace);
                    if (t % 500 == 499) {
                        person.executeBatch();
                        insert.executeBatch();
                    }
                }
                fixture.tasksByWorkspace.put(workspace, ids);
                fixture.peopleByWorkspace.put(workspace, people);
                person.executeBatch();
                insert.executeBatch();
            }
            c.commit();
        }
        return fixture;
    }

    /** The subscriptions of client {@code index} (of its workspace, counted over all workspaces). */
    List<ViewSpec> viewsOf(Scenario scenario, int index) {
        List<ViewSpec> views = new ArrayList<>();
        for (int s = 0; s < scenario.subscriptionsPerClient(); s++) {
            if (scenario.views() == Scenario.Views.TASK_LIST) {
                views.add(ViewSpec.taskList(scenario.limitOf(s)));
            } else {
                List<String> people = peopleByWorkspace.get(workspaces.get(index % workspaces.size()));
                int ofWorkspace = index / workspaces.size(); // the client's rank among its workspace's clients
                int subscription = ofWorkspace * scenario.subscriptionsPerClient() + s;
                views.add(ViewSpec.tasksOf(people.get(subscription % people.size())));
            }
        }
        return views;
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

    /** A workspace's tasks as a fresh query reads them now: what each of its views must show. */
    static final class Truth {
        private final List<TaskRow> inOrder;
        private final Map<String, List<TaskRow>> byAssignee = new HashMap<>();

        private Truth(List<TaskRow> inOrder, List<String> assignees) {
            this.inOrder = inOrder;
            for (int i = 0; i < inOrder.size(); i++) {
                if (assignees.get(i) != null) {
                    byAssignee.computeIfAbsent(assignees.get(i), a -> new ArrayList<>()).add(inOrder.get(i));
                }
            }
        }

        /** The rows, in view order, of the view with this {@link ViewSpec#key}. */
        List<TaskRow> of(String key) {
            if (key.startsWith(ViewSpec.LIMIT)) {
                int limit = Integer.parseInt(key.substring(ViewSpec.LIMIT.length()));
                return List.copyOf(inOrder.subList(0, Math.min(limit, inOrder.size())));
            }
            if (key.startsWith(ViewSpec.ASSIGNEE)) {
                return byAssignee.getOrDefault(key.substring(ViewSpec.ASSIGNEE.length()), List.of());
            }
            throw new IllegalArgumentException("no view with key " + key);
        }
    }

    Truth truth(Connection c, String workspace) throws SQLException {
        List<TaskRow> all = new ArrayList<>();
        List<String> assignees = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("select id, title, done, position, assignee_id from tasks "
                + "where workspace_id = ? order by position, id")) {
            query.setString(1, workspace);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    all.add(new TaskRow(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4)));
                    assignees.add(rs.getString(5));
                }
            }
        }
        return new Truth(all, assignees);
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
