package dev.arcana.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Param;
import dev.arcana.api.SchemaDescription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatSchemaTest {

    @Test
    void schemaReportsRangesAndMaxLength() {
        Map<String, Param> params = new LinkedHashMap<>();
        params.put("limit", Param.integer().defaultValue(50).min(1).max(500));
        params.put("title", Param.string().maxLength(200));
        params.put("done", Param.bool());
        SchemaDescription schema = new SchemaDescription(Map.of(),
                Map.of("task_list", new SchemaDescription.View(params, Map.of("tasks", List.of("id")))));

        assertThat(WireFormat.schema(schema).getJsonObject("views").getJsonObject("task_list")
                .getJsonObject("params").toString()).isEqualTo("{"
                + "\"limit\":{\"type\":\"int\",\"required\":false,\"default\":50,\"min\":1,\"max\":500},"
                + "\"title\":{\"type\":\"string\",\"required\":false,\"maxLength\":200},"
                + "\"done\":{\"type\":\"bool\",\"required\":false}}");
    }

    @Test
    void schemaListsRequiredRolesAndPermissionsOnlyWhereDeclared() {
        SchemaDescription schema = new SchemaDescription(Map.of(), new java.util.TreeMap<>(Map.of(
                "open", new SchemaDescription.View(Map.of(), Map.of("tasks", List.of("id"))),
                "guarded", new SchemaDescription.View(Map.of(), Map.of("tasks", List.of("id")),
                        java.util.Set.of("admin"), java.util.Set.of("tasks:read")))));

        var views = WireFormat.schema(schema).getJsonObject("views");
        assertThat(views.getJsonObject("open").keySet()).containsExactly("params", "deps");
        assertThat(views.getJsonObject("guarded").getJsonArray("requires_roles").toString()).isEqualTo("[\"admin\"]");
        assertThat(views.getJsonObject("guarded").getJsonArray("requires_permissions").toString())
                .isEqualTo("[\"tasks:read\"]");
    }
}
