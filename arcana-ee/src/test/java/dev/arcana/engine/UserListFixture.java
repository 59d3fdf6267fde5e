package dev.arcana.engine;

import dev.arcana.api.Change;
import dev.arcana.api.Graph;
import dev.arcana.api.Mutation;
import dev.arcana.api.MutationRejectedException;
import dev.arcana.api.MutationResult;
import dev.arcana.api.NotFoundException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The seed's {@code user_list} graph on a real {@code users} table, counting factory runs per workspace. */
final class UserListFixture {
    static final String DDL = """
            create table users (
              id uuid primary key,
              workspace_id text not null,
              org_id uuid not null,
              name text not null,
              email text not null,
              role text not null check (role in ('admin','member','viewer')))""";
    static final UUID ORG = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");

    final Map<String, AtomicInteger> runsByWorkspace = new ConcurrentHashMap<>();

    /** Handler calls of the fixture's mutations (each call, whether it committed or not). */
    final AtomicInteger handlerCalls = new AtomicInteger();

    int runs(String workspace) {
        return runsByWorkspace.getOrDefault(workspace, new AtomicInteger()).get();
    }

    /**
     * {@code key}: renames a user of the caller's workspace ({@code not_found} otherwise); a name
     * starting with {@code !} is refused after the write ({@code conflict}, reason {@code bad_name}), so
     * the write must roll back. Declares its change when {@code declareChanges}, else leaves it to the detector.
     */
    Mutation renameUser(String key, boolean declareChanges) {
        return Mutation.builder(key)
                .param("id", Param.uuid().required())
                .param("name", Param.string().required().maxLength(100))
                .handler(ctx -> {
                    handlerCalls.incrementAndGet();
                    String id = ctx.params().uuid("id").toString();
                    String name = ctx.params().string("name");
                    int updated = ctx.querier().update("update users set name = ? where id = ? and workspace_id = ?",
                            name, ctx.params().uuid("id"), ctx.workspaceId());
                    if (updated == 0) {
                        throw new NotFoundException("no user " + id + " in this workspace");
                    }
                    if (name.startsWith("!")) {
                        throw new MutationRejectedException("bad_name", "a name may not start with !");
                    }
                    JsonObject data = Json.createObjectBuilder().add("id", id).add("name", name).build();
                    return declareChanges ? MutationResult.of(data, Change.update("users", id, ctx.workspaceId(), "name"))
                            : MutationResult.of(data);
                })
                .build();
    }

    Graph graph() {
        return Graph.builder("user_list")
                .param("org_id", Param.uuid().required())
                .param("limit", Param.integer().defaultValue(50))
                .param("role", Param.string().oneOf("admin", "member", "viewer"))
                .dependsOn(TableDependency.of("users", "id", "name", "email", "role").tenantColumn("workspace_id"))
                .factory(ctx -> {
                    runsByWorkspace.computeIfAbsent(ctx.workspaceId(), w -> new AtomicInteger()).incrementAndGet();
                    String role = ctx.params().string("role");
                    List<Object> args = new ArrayList<>(List.of(ctx.workspaceId(), ctx.params().uuid("org_id")));
                    String filter = "workspace_id = ? and org_id = ?";
                    if (role != null) {
                        filter += " and role = ?";
                        args.add(role);
                    }
                    Result result = new Result();
                    result.setTotal(ctx.querier().queryLong("select count(*) from users where " + filter, args.toArray()));
                    args.add(ctx.params().longValue("limit"));
                    ctx.querier().forEachRow("select id, name, email, role from users where " + filter
                            + " order by name, id limit ?", row -> {
                                Map<String, Object> fields = new LinkedHashMap<>();
                                fields.put("id", row.getObject("id"));
                                fields.put("name", row.getString("name"));
                                fields.put("email", row.getString("email"));
                                fields.put("role", row.getString("role"));
                                result.addRowAndRef("users", row.getObject("id"), fields);
                            }, args.toArray());
                    return result;
                })
                .build();
    }

    /** Factory runs of {@link #byRole()}. */
    final AtomicInteger byRoleRuns = new AtomicInteger();

    /** The users of one role, promising it with {@code where("role", param("role"))}. */
    Graph byRole() {
        return Graph.builder("users_by_role")
                .param("role", Param.string().required().oneOf("admin", "member", "viewer"))
                .dependsOn(TableDependency.of("users", "id", "name", "role").tenantColumn("workspace_id")
                        .where("role", dev.arcana.api.ColumnMatch.param("role")))
                .factory(ctx -> {
                    byRoleRuns.incrementAndGet();
                    Result result = new Result();
                    ctx.querier().forEachRow("select id, name, role from users where workspace_id = ? and role = ? "
                            + "order by name, id", row -> result.addRowAndRef("users", row.getObject("id"),
                            Map.of("id", row.getObject("id"), "name", row.getString("name"),
                                    "role", row.getString("role"))), ctx.workspaceId(), ctx.params().string("role"));
                    return result;
                })
                .build();
    }
}
