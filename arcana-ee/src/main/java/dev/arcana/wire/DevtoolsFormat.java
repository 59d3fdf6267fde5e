package dev.arcana.wire;

import dev.arcana.api.SchemaDescription;
import dev.arcana.engine.ChangeLog;
import dev.arcana.engine.Introspection;
import dev.arcana.engine.JsonValues;
import dev.arcana.engine.diff.JsonSupport;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

/** DevTools' data ({@code GET {mount}/devtools/state}) as JSON: see README, "DevTools". */
public final class DevtoolsFormat {
    private static final JsonProvider JSON = JsonSupport.provider();

    private DevtoolsFormat() {
    }

    /**
     * @param scope what the caller sees, e.g. {@code "workspace acme"} or {@code "all workspaces"}
     */
    public static JsonObject state(Introspection state, SchemaDescription schema, String scope) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("scope", scope)
                .add("at", System.currentTimeMillis())
                .add("health", WireFormat.health(state.stats(), state.detector(), state.hops()))
                .add("schema", WireFormat.schema(schema));
        JsonArrayBuilder instances = JSON.createArrayBuilder();
        for (Introspection.Instance instance : state.instances()) {
            JsonObjectBuilder params = JSON.createObjectBuilder();
            instance.params().forEach((name, value) -> params.add(name, JsonValues.of(value)));
            JsonObjectBuilder item = JSON.createObjectBuilder()
                    .add("workspace", instance.workspace())
                    .add("graph", instance.graph())
                    .add("params_hash", instance.paramsHash())
                    .add("params", params)
                    .add("subscribers", instance.subscribers())
                    .add("runs", instance.runs())
                    .add("state", instance.state().name().toLowerCase(java.util.Locale.ROOT));
            if (instance.lastRunMs() >= 0) {
                item.add("last_run_ms", instance.lastRunMs());
            }
            if (instance.lastError() != null) {
                item.add("last_error", instance.lastError());
            }
            instances.add(item);
        }
        json.add("instances", instances);
        JsonArrayBuilder seances = JSON.createArrayBuilder();
        for (Introspection.SeanceInfo seance : state.seances()) {
            seances.add(JSON.createObjectBuilder()
                    .add("seance", seance.maskedId())
                    .add("workspace", seance.workspace())
                    .add("user", seance.user())
                    .add("subscriptions", seance.subscriptions())
                    .add("idle_ms", seance.idleMs()));
        }
        json.add("seances", seances);
        JsonArrayBuilder rows = JSON.createArrayBuilder();
        for (Introspection.TableRows table : state.rows()) {
            JsonArrayBuilder first = JSON.createArrayBuilder();
            table.firstRows().forEach(first::add);
            rows.add(JSON.createObjectBuilder()
                    .add("workspace", table.workspace())
                    .add("table", table.table())
                    .add("count", table.count())
                    .add("rows", first));
        }
        json.add("store", rows);
        json.add("recent_changes_on", state.changeLogOn());
        JsonArrayBuilder changes = JSON.createArrayBuilder();
        for (ChangeLog.EntryView entry : state.recentChanges()) {
            JsonObjectBuilder change = JSON.createObjectBuilder()
                    .add("table", entry.change().table())
                    .add("op", entry.change().op().name())
                    .add("received_at", entry.receivedEpochMillis())
                    .add("instances_marked", entry.instancesMarked());
            if (entry.change().id() != null) {
                change.add("id", entry.change().id());
            }
            if (entry.change().workspaceId() != null) {
                change.add("workspace", entry.change().workspaceId());
            }
            if (!entry.change().columns().isEmpty()) {
                JsonArrayBuilder columns = JSON.createArrayBuilder();
                entry.change().columns().stream().sorted().forEach(columns::add);
                change.add("columns", columns);
            }
            JsonArrayBuilder runs = JSON.createArrayBuilder();
            for (ChangeLog.HopView hop : entry.runs()) {
                runs.add(JSON.createObjectBuilder()
                        .add("workspace", hop.workspace())
                        .add("graph", hop.graph())
                        .add("params_hash", hop.paramsHash())
                        .add("run_started_ms", hop.startedAfterMs())
                        .add("run_finished_ms", hop.finishedAfterMs())
                        .add("pushed_ms", hop.pushedAfterMs()));
            }
            change.add("runs", runs);
            changes.add(change);
        }
        json.add("recent_changes", changes);
        return json.build();
    }

}
