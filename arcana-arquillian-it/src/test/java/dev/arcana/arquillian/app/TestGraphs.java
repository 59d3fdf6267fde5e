package dev.arcana.arquillian.app;

import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.LinkedHashMap;
import java.util.Map;

/** The test application's graphs: one from a producer method, one from a producer field. */
@ApplicationScoped
public class TestGraphs {
    public static final String ITEMS = "arq_items";
    public static final String ITEM_COUNT = "arq_item_count";

    @Produces
    @GraphDefinition
    Graph items() {
        return Graph.builder(ITEMS)
                .param("limit", Param.integer().defaultValue(10).min(1).max(100))
                .dependsOn(TableDependency.of("items", "id", "name").tenantColumn("workspace_id"))
                .factory(ctx -> {
                    Result result = new Result();
                    ctx.querier().forEachRow("select id, name from items where workspace_id = ? order by id limit ?",
                            row -> {
                                Map<String, Object> item = new LinkedHashMap<>();
                                item.put("id", row.getString("id"));
                                item.put("name", row.getString("name"));
                                result.addRowAndRef("items", row.getString("id"), item);
                            }, ctx.workspaceId(), ctx.params().longValue("limit"));
                    return result;
                })
                .build();
    }

    @Produces
    @GraphDefinition
    Graph itemCount = Graph.builder(ITEM_COUNT)
            .dependsOn(TableDependency.of("items", "id").tenantColumn("workspace_id"))
            .factory(ctx -> new Result().setTotal(
                    ctx.querier().queryLong("select count(*) from items where workspace_id = ?", ctx.workspaceId())))
            .build();
}
