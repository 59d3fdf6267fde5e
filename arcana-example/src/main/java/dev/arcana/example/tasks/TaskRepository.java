package dev.arcana.example.tasks;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.NotFoundException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Task rows of one workspace, with plain JDBC. Every statement is scoped by the workspace. */
@ApplicationScoped
public class TaskRepository {
    private static final String COLUMNS = "id, title, done, assignee_id, position, updated_at";

    @Resource(lookup = "java:comp/env/jdbc/arcana")
    DataSource dataSource;

    /** Creates a task with a new id. */
    JsonObject create(String workspace, String title, Optional<UUID> assignee) throws SQLException {
        return create(workspace, UUID.randomUUID(), title, assignee).orElseThrow();
    }

    /** Creates a task with the caller's id (a client that made the row first); empty when that id is taken. */
    Optional<JsonObject> create(String workspace, UUID id, String title, Optional<UUID> assignee) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            requireAssignee(connection, workspace, assignee);
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into tasks (id, workspace_id, title, assignee_id, position) values (?, ?, ?, ?,"
                            + " (select coalesce(max(position), 0) + 1 from tasks where workspace_id = ?))"
                            + " on conflict (id) do nothing returning " + COLUMNS)) {
                insert.setObject(1, id);
                insert.setString(2, workspace);
                insert.setString(3, title);
                insert.setObject(4, assignee.orElse(null));
                insert.setString(5, workspace);
                try (ResultSet row = insert.executeQuery()) {
                    return row.next() ? Optional.of(json(row)) : Optional.empty();
                }
            }
        }
    }

    /** Updates the given fields; returns the changed columns' row, or throws not_found. */
    JsonObject update(String workspace, UUID id, TaskInput input) throws SQLException {
        List<String> sets = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        input.title().ifPresent(t -> {
            sets.add("title = ?");
            args.add(t);
        });
        input.done().ifPresent(d -> {
            sets.add("done = ?");
            args.add(d);
        });
        input.position().ifPresent(p -> {
            sets.add("position = ?");
            args.add(p);
        });
        input.assignee().ifPresent(a -> {
            sets.add("assignee_id = ?");
            args.add(a.orElse(null));
        });
        try (Connection connection = dataSource.getConnection()) {
            if (input.assignee().isPresent()) {
                requireAssignee(connection, workspace, input.assignee().get());
            }
            try (PreparedStatement update = connection.prepareStatement("update tasks set " + String.join(", ", sets)
                    + ", updated_at = now() where id = ? and workspace_id = ? returning " + COLUMNS)) {
                int i = 1;
                for (Object arg : args) {
                    update.setObject(i++, arg);
                }
                update.setObject(i++, id);
                update.setString(i, workspace);
                try (ResultSet row = update.executeQuery()) {
                    if (!row.next()) {
                        throw new NotFoundException("no task " + id + " in this workspace");
                    }
                    return json(row);
                }
            }
        }
    }

    void delete(String workspace, UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "delete from tasks where id = ? and workspace_id = ?")) {
            delete.setObject(1, id);
            delete.setString(2, workspace);
            if (delete.executeUpdate() == 0) {
                throw new NotFoundException("no task " + id + " in this workspace");
            }
        }
    }

    private static void requireAssignee(Connection connection, String workspace, Optional<UUID> assignee)
            throws SQLException {
        if (assignee.isEmpty()) {
            return;
        }
        try (PreparedStatement query = connection.prepareStatement(
                "select 1 from users where id = ? and workspace_id = ?")) {
            query.setObject(1, assignee.get());
            query.setString(2, workspace);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw ArcanaException.badRequest("'assignee_id' does not name a user of this workspace");
                }
            }
        }
    }

    private static JsonObject json(ResultSet row) throws SQLException {
        JsonObjectBuilder task = Json.createObjectBuilder()
                .add("id", row.getObject("id").toString())
                .add("title", row.getString("title"))
                .add("done", row.getBoolean("done"))
                .add("position", row.getInt("position"))
                .add("updated_at", row.getObject("updated_at", java.time.OffsetDateTime.class).toString());
        Object assignee = row.getObject("assignee_id");
        if (assignee == null) {
            task.addNull("assignee_id");
        } else {
            task.add("assignee_id", assignee.toString());
        }
        return task.build();
    }
}
