package dev.arcana.wire;

import dev.arcana.api.ActiveSubscription;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.EngineStats;
import dev.arcana.api.Param;
import dev.arcana.api.SchemaDescription;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncEntry;
import dev.arcana.api.spi.DetectorStatus;
import dev.arcana.engine.JsonValues;
import dev.arcana.engine.diff.JsonSupport;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.util.List;
import java.util.OptionalLong;

/** Renders engine values as the JSON of PROTOCOL.md, for every transport and endpoint. */
public final class WireFormat {
    private static final JsonProvider JSON = JsonSupport.provider();

    private WireFormat() {
    }

    public static JsonObject ok(JsonValue data) {
        return JSON.createObjectBuilder().add("ok", true).add("data", data == null ? JsonValue.NULL : data).build();
    }

    /** The failure envelope: a client-safe message and the stable code. */
    public static JsonObject error(ArcanaException error) {
        return JSON.createObjectBuilder()
                .add("ok", false)
                .add("error", error.getMessage())
                .add("code", error.code().code())
                .build();
    }

    public static JsonObject snapshot(Snapshot snapshot) {
        JsonObjectBuilder data = JSON.createObjectBuilder()
                .add("view", snapshot.view())
                .add("params_hash", snapshot.paramsHash())
                .add("version", snapshot.version())
                .add("seance_id", snapshot.seanceId())
                .add("refs", snapshot.refs())
                .add("tables", snapshot.tables());
        addTotal(data, snapshot.total());
        return data.build();
    }

    public static JsonObject syncResult(List<SyncEntry> entries) {
        return JSON.createObjectBuilder().add("views", syncEntries(entries)).build();
    }

    public static JsonArray syncEntries(List<SyncEntry> entries) {
        JsonArrayBuilder views = JSON.createArrayBuilder();
        entries.forEach(entry -> views.add(syncEntry(entry)));
        return views.build();
    }

    public static JsonObject syncEntry(SyncEntry entry) {
        JsonObjectBuilder data = JSON.createObjectBuilder()
                .add("view", entry.view() == null ? "" : entry.view())
                .add("params_hash", entry.paramsHash() == null ? "" : entry.paramsHash())
                .add("mode", entry.mode().wireName());
        switch (entry.mode()) {
            case CATCH_UP -> data.add("version", entry.version()).add("patches", entry.patches())
                    .add("tables", entry.tables());
            case SNAPSHOT -> data.add("version", entry.version()).add("refs", entry.refs())
                    .add("tables", entry.tables());
            case ERROR -> data.add("code", entry.error().code().code()).add("error", entry.error().getMessage());
        }
        addTotal(data, entry.total());
        return data.build();
    }

    public static JsonArray active(List<ActiveSubscription> subscriptions) {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (ActiveSubscription subscription : subscriptions) {
            list.add(JSON.createObjectBuilder()
                    .add("view", subscription.view())
                    .add("params_hash", subscription.paramsHash())
                    .add("version", subscription.version()));
        }
        return list.build();
    }

    public static JsonObject schema(SchemaDescription schema) {
        JsonObjectBuilder tables = JSON.createObjectBuilder();
        schema.tables().forEach((table, columns) -> {
            JsonObjectBuilder columnsJson = JSON.createObjectBuilder();
            columns.forEach((name, column) -> columnsJson.add(name, JSON.createObjectBuilder()
                    .add("type", column.type())
                    .add("nullable", column.nullable())));
            tables.add(table, columnsJson);
        });
        JsonObjectBuilder views = JSON.createObjectBuilder();
        schema.views().forEach((key, view) -> {
            JsonObjectBuilder params = JSON.createObjectBuilder();
            view.params().forEach((name, param) -> params.add(name, param(param)));
            JsonObjectBuilder deps = JSON.createObjectBuilder();
            view.deps().forEach((table, columns) -> {
                JsonArrayBuilder list = JSON.createArrayBuilder();
                columns.forEach(list::add);
                deps.add(table, list);
            });
            JsonObjectBuilder viewJson = JSON.createObjectBuilder().add("params", params).add("deps", deps);
            // only views that restrict their subscribers carry these keys
            if (!view.requiredRoles().isEmpty()) {
                viewJson.add("requires_roles", JSON.createArrayBuilder(view.requiredRoles()));
            }
            if (!view.requiredPermissions().isEmpty()) {
                viewJson.add("requires_permissions", JSON.createArrayBuilder(view.requiredPermissions()));
            }
            views.add(key, viewJson);
        });
        return JSON.createObjectBuilder().add("tables", tables).add("views", views).build();
    }

    private static JsonObject param(Param param) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("type", param.type().wireName())
                .add("required", param.isRequired());
        if (param.defaultValue() != null) {
            json.add("default", JsonValues.of(param.defaultValue()));
        }
        if (!param.oneOf().isEmpty()) {
            JsonArrayBuilder values = JSON.createArrayBuilder();
            param.oneOf().forEach(values::add);
            json.add("oneOf", values);
        }
        if (param.min() != null) {
            json.add("min", param.min());
        }
        if (param.max() != null) {
            json.add("max", param.max());
        }
        if (param.maxLength() != null) {
            json.add("maxLength", param.maxLength());
        }
        return json.build();
    }

    public static JsonObject health(EngineStats stats, DetectorStatus detector) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("running", stats.running())
                .add("graphs", stats.graphs())
                .add("subscriptions", stats.subscriptions())
                .add("seances", stats.seances())
                .add("store_rows", stats.storeRows())
                .add("query_instances", stats.queryInstances())
                .add("factory_runs", stats.factoryRuns())
                .add("factory_errors", stats.factoryErrors())
                .add("changes", stats.changes())
                .add("changes_ignored", stats.changesIgnored());
        if (detector != null) {
            json.add("detector", JSON.createObjectBuilder()
                    .add("mode", detector.mode())
                    .add("state", detector.state())
                    .add("lag", detector.lag())
                    .add("detail", detector.detail()));
        }
        return json.build();
    }

    private static void addTotal(JsonObjectBuilder data, OptionalLong total) {
        total.ifPresent(t -> data.add("total", t));
    }
}
