package dev.arcana.example.graphs;

import dev.arcana.api.ColumnMatch;
import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.api.Param;
import dev.arcana.api.Ref;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The example's views: the people of an org, the workspace's task list with assignees, and one person's tasks. */
@ApplicationScoped
public class DemoGraphs {

    @Produces
    @GraphDefinition
    Graph userList() {
        return Graph.builder("user_list")
                .param("org_id", Param.uuid().required())
                .param("limit", Param.integer().defaultValue(50).min(1).max(1000))
                .param("role", Param.string().oneOf("admin", "member", "viewer"))
                .dependsOn(TableDependency.of("users", "id", "name", "email", "role").tenantColumn("workspace_id"))
                .factory(ctx -> {
                    List<Object> args = new ArrayList<>(List.of(ctx.workspaceId(), ctx.params().uuid("org_id")));
                    String filter = "workspace_id = ? and org_id = ?";
                    if (ctx.params().has("role")) {
                        filter += " and role = ?";
                        args.add(ctx.params().string("role"));
                    }
                    Result result = new Result();
                    result.setTotal(ctx.querier().queryLong("select count(*) from users where " + filter, args.toArray()));
                    args.add(ctx.params().longValue("limit"));
                    ctx.querier().forEachRow("select id, name, email, role from users where " + filter
                            + " order by name, id limit ?", row -> {
                                Map<String, Object> user = new LinkedHashMap<>();
                                user.put("id", row.getObject("id"));
                                user.put("name", row.getString("name"));
                                user.put("email", row.getString("email"));
                                user.put("role", row.getString("role"));
                                result.addRowAndRef("users", row.getObject("id"), user);
                            }, args.toArray());
                    return result;
                })
                .build();
    }

    @Produces
    @GraphDefinition
    Graph taskList() {
        return Graph.builder("task_list")
                .param("done", Param.bool())
                .param("limit", Param.integer().defaultValue(100).min(1).max(1000))
                .dependsOn(TableDependency.of("tasks", "id", "title", "done", "assignee_id", "position")
                        .tenantColumn("workspace_id"))
                .dependsOn(TableDependency.of("users", "id", "name").tenantColumn("workspace_id"))
                .factory(ctx -> {
                    List<Object> args = new ArrayList<>(List.of(ctx.workspaceId()));
                    String filter = "t.workspace_id = ?";
                    if (ctx.params().has("done")) {
                        filter += " and t.done = ?";
                        args.add(ctx.params().bool("done"));
                    }
                    Result result = new Result();
                    result.setTotal(ctx.querier().queryLong("select count(*) from tasks t where " + filter, args.toArray()));
                    args.add(ctx.params().longValue("limit"));
                    ctx.querier().forEachRow("select t.id, t.title, t.done, t.assignee_id, t.position, u.name as assignee_name"
                            + " from tasks t left join users u on u.id = t.assignee_id"
                            + " where " + filter + " order by t.position, t.id limit ?", row -> {
                                Object id = row.getObject("id");
                                Object assignee = row.getObject("assignee_id");
                                result.addRow("tasks", id, task(row));
                                Ref ref = Ref.of("tasks", id, "id", "title", "done", "assignee_id", "position");
                                if (assignee != null && row.getString("assignee_name") != null) {
                                    result.addRow("users", assignee, Map.of("id", assignee, "name", row.getString("assignee_name")));
                                    ref = ref.withNested("assignee", Ref.of("users", assignee, "id", "name"));
                                }
                                result.addRef(ref);
                            }, args.toArray());
                    return result;
                })
                .build();
    }

    /**
     * One person's tasks (an inbox). Every task it shows has {@code assignee_id} equal to the param, and
     * it says so with {@code where}: a task's change then re-runs only the views of its old and new
     * assignee, not every person's — however many people have their inbox open.
     */
    @Produces
    @GraphDefinition
    Graph tasksByAssignee() {
        return Graph.builder("tasks_by_assignee")
                .param("assignee_id", Param.uuid().required())
                .dependsOn(TableDependency.of("tasks", "id", "title", "done", "assignee_id", "position")
                        .tenantColumn("workspace_id")
                        .where("assignee_id", ColumnMatch.param("assignee_id")))
                .factory(ctx -> {
                    Result result = new Result();
                    ctx.querier().forEachRow("select id, title, done, assignee_id, position from tasks"
                            + " where workspace_id = ? and assignee_id = ? order by position, id", row -> {
                                result.addRowAndRef("tasks", row.getObject("id"), task(row));
                            }, ctx.workspaceId(), ctx.params().uuid("assignee_id"));
                    return result;
                })
                .build();
    }

    /** A task row as both task views show it. */
    private static Map<String, Object> task(ResultSet row) throws SQLException {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("id", row.getObject("id"));
        task.put("title", row.getString("title"));
        task.put("done", row.getBoolean("done"));
        task.put("assignee_id", row.getObject("assignee_id"));
        task.put("position", row.getInt("position"));
        return task;
    }

    /** The workspace's people with their e-mail addresses: for admins only (checked before the factory runs). */
    @Produces
    @GraphDefinition
    Graph peopleAdmin() {
        return Graph.builder("people_admin")
                .requiresRole("admin")
                .param("limit", Param.integer().defaultValue(100).min(1).max(1000))
                .dependsOn(TableDependency.of("users", "id", "name", "email", "role").tenantColumn("workspace_id"))
                .factory(ctx -> {
                    Result result = new Result();
                    ctx.querier().forEachRow("select id, name, email, role from users where workspace_id = ?"
                            + " order by name, id limit ?", row -> {
                                Map<String, Object> user = new LinkedHashMap<>();
                                user.put("id", row.getObject("id"));
                                user.put("name", row.getString("name"));
                                user.put("email", row.getString("email"));
                                user.put("role", row.getString("role"));
                                result.addRowAndRef("users", row.getObject("id"), user);
                            }, ctx.workspaceId(), ctx.params().longValue("limit"));
                    return result;
                })
                .build();
    }
}
