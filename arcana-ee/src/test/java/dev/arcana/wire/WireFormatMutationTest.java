package dev.arcana.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.MutationRejectedException;
import dev.arcana.api.Param;
import dev.arcana.api.SchemaDescription;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WireFormatMutationTest {

    @Test
    void anOutcomeListsDataIdViewsRowsAndReplayed() {
        MutationOutcome outcome = new MutationOutcome(Json.createObjectBuilder().add("id", "t1").build(), "m:1",
                List.of(new MutationOutcome.ViewVersion("task_list", "ab12", 7)),
                List.of(new MutationOutcome.RowVersion("tasks", "t1", 3)), false);

        assertThat(WireFormat.mutationOutcome(outcome).toString()).isEqualTo("{\"data\":{\"id\":\"t1\"},"
                + "\"mutation_id\":\"m:1\",\"views\":[{\"view\":\"task_list\",\"params_hash\":\"ab12\",\"version\":7}],"
                + "\"rows\":[{\"table\":\"tasks\",\"id\":\"t1\",\"ver\":3}],\"replayed\":false}");
    }

    @Test
    void anOutcomeWithoutMutationIdOmitsItAndNoDataIsNull() {
        MutationOutcome outcome = new MutationOutcome(null, null, List.of(), List.of(), true);

        assertThat(WireFormat.mutationOutcome(outcome).toString())
                .isEqualTo("{\"data\":null,\"views\":[],\"rows\":[],\"replayed\":true}");
    }

    @Test
    void theHttpEnvelopePutsTheOutcomeBesideOk() {
        MutationOutcome outcome = new MutationOutcome(JsonValue.TRUE, "x", List.of(), List.of(), false);

        assertThat(WireFormat.okWith(WireFormat.mutationOutcome(outcome)).toString()).isEqualTo(
                "{\"ok\":true,\"data\":true,\"mutation_id\":\"x\",\"views\":[],\"rows\":[],\"replayed\":false}");
    }

    @Test
    void onlyARefusedMutationsErrorCarriesAReason() {
        assertThat(WireFormat.error(new MutationRejectedException("title_taken", "taken")).toString())
                .isEqualTo("{\"ok\":false,\"error\":\"taken\",\"code\":\"conflict\",\"reason\":\"title_taken\"}");
        assertThat(WireFormat.error(new ArcanaException(ErrorCode.CONFLICT, "conflict")).toString())
                .isEqualTo("{\"ok\":false,\"error\":\"conflict\",\"code\":\"conflict\"}");
    }

    @Test
    void theSchemaListsMutationsWithTheirParamsAndRequirements() {
        Map<String, Param> params = new LinkedHashMap<>();
        params.put("title", Param.string().required().maxLength(200));
        params.put("assignee_id", Param.uuid());
        Map<String, SchemaDescription.MutationSchema> mutations = new TreeMap<>(Map.of(
                "add_task", new SchemaDescription.MutationSchema(params, Set.of(), Set.of()),
                "purge", new SchemaDescription.MutationSchema(Map.of(), Set.of("admin"), Set.of("tasks:purge"))));

        var json = WireFormat.schema(new SchemaDescription(Map.of(), Map.of(), mutations)).getJsonObject("mutations");

        assertThat(json.toString()).isEqualTo("{\"add_task\":{\"params\":{"
                + "\"title\":{\"type\":\"string\",\"required\":true,\"maxLength\":200},"
                + "\"assignee_id\":{\"type\":\"uuid\",\"required\":false}}},"
                + "\"purge\":{\"params\":{},\"requires_roles\":[\"admin\"],\"requires_permissions\":[\"tasks:purge\"]}}");
    }

    @Test
    void aSchemaWithoutMutationsStillHasTheKey() {
        assertThat(WireFormat.schema(new SchemaDescription(Map.of(), Map.of())).getJsonObject("mutations")).isEmpty();
    }
}
