package dev.arcana.engine;

import dev.arcana.api.ColumnMatch;
import dev.arcana.api.Graph;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code tasks} table read by two predicate graphs: {@code tasks_of(assignee, done?)}, matching
 * {@code assignee} (and {@code done} when given) on params, and {@code my_tasks}, matching
 * {@code assignee} on the user. {@code notes} is in no graph.
 */
final class AssignedTasksFixture {
    static final String DDL = """
            create table tasks (
              id text primary key,
              workspace_id text not null,
              assignee text,
              title text not null,
              done boolean not null default false,
              notes text)""";

    /** Factory runs of both graphs. */
    final AtomicInteger runs = new AtomicInteger();

    Graph tasksOf() {
        return Graph.builder("tasks_of")
                .param("assignee", Param.string().required())
                .param("done", Param.bool())
                .dependsOn(TableDependency.of("tasks", "assignee", "title", "done").tenantColumn("workspace_id")
                        .where("assignee", ColumnMatch.param("assignee"))
                        .where("done", ColumnMatch.param("done")))
                .factory(ctx -> {
                    List<Object> args = new ArrayList<>(List.of(ctx.workspaceId(), ctx.params().string("assignee")));
                    String filter = "workspace_id = ? and assignee = ?";
                    if (ctx.params().has("done")) {
                        filter += " and done = ?";
                        args.add(ctx.params().bool("done"));
                    }
                    return query(ctx.querier(), filter, args);
                })
                .build();
    }

    Graph myTasks() {
        return Graph.builder("my_tasks")
                .dependsOn(TableDependency.of("tasks", "assignee", "title", "done").tenantColumn("workspace_id")
                        .where("assignee", ColumnMatch.user()))
                .factory(ctx -> query(ctx.querier(), "workspace_id = ? and assignee = ?",
                        List.of(ctx.workspaceId(), ctx.identity().userId())))
                .build();
    }

    private Result query(dev.arcana.api.Querier querier, String filter, List<Object> args) throws java.sql.SQLException {
        runs.incrementAndGet();
        Result result = new Result();
        querier.forEachRow("select id, assignee, title, done from tasks where " + filter + " order by title, id",
                row -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("id", row.getString("id"));
                    fields.put("assignee", row.getString("assignee"));
                    fields.put("title", row.getString("title"));
                    fields.put("done", row.getBoolean("done"));
                    result.addRowAndRef("tasks", row.getString("id"), fields);
                }, args.toArray());
        return result;
    }
}
