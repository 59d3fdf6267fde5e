package dev.arcana.wire;

import dev.arcana.api.ActiveSubscription;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.EngineStats;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.MutationRejectedException;
import dev.arcana.api.Param;
import dev.arcana.api.SchemaDescription;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncEntry;
import dev.arcana.api.spi.DetectorStatus;
import dev.arcana.engine.JsonValues;
import dev.arcana.engine.LatencyHistogram;
import dev.arcana.engine.diff.JsonSupport;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;

/** Renders engine values as the JSON of PROTOCOL.md, for every transport and endpoint. */
public final class WireFormat {
    private static final JsonProvider JSON = JsonSupport.provider();

    private WireFormat() {
    }

    public static JsonObject ok(JsonValue data) {
        return JSON.createObjectBuilder().add("ok", true).add("data", data == null ? JsonValue.NULL : data).build();
    }

    /**
     * The success envelope of a reply whose fields stand beside {@code ok} rather than under
     * {@code data}: {@code {"ok":true, ...fields}} (a mutation's outcome).
     */
    public static JsonObject okWith(JsonObject fields) {
        JsonObjectBuilder envelope = JSON.createObjectBuilder().add("ok", true);
        fields.forEach(envelope::add);
        return envelope.build();
    }

    /**
     * The failure envelope: a client-safe message, the stable code and, for a mutation a business
     * rule refused, the application's {@code reason}.
     */
    public static JsonObject error(ArcanaException error) {
        JsonObjectBuilder envelope = JSON.createObjectBuilder()
                .add("ok", false)
                .add("error", error.getMessage() == null ? error.code().code() : error.getMessage())
                .add("code", error.code().code());
        reason(error).ifPresent(reason -> envelope.add("reason", reason));
        return envelope.build();
    }

    /** The application's code for a refused mutation ({@code conflict}), sent next to the protocol's code. */
    public static Optional<String> reason(ArcanaException error) {
        return error instanceof MutationRejectedException rejected
                ? Optional.of(rejected.reason()) : Optional.empty();
    }

    /**
     * A mutation's outcome: {@code data}, {@code mutation_id} (when the client sent one),
     * {@code views}, {@code rows} and {@code replayed}.
     */
    public static JsonObject mutationOutcome(MutationOutcome outcome) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("data", outcome.data());
        if (outcome.mutationId() != null) {
            json.add("mutation_id", outcome.mutationId());
        }
        JsonArrayBuilder views = JSON.createArrayBuilder();
        outcome.views().forEach(view -> views.add(JSON.createObjectBuilder()
                .add("view", view.view())
                .add("params_hash", view.paramsHash())
                .add("version", view.version())));
        JsonArrayBuilder rows = JSON.createArrayBuilder();
        outcome.rows().forEach(row -> rows.add(JSON.createObjectBuilder()
                .add("table", row.table())
                .add("id", row.id())
                .add("ver", row.version())));
        return json.add("views", views).add("rows", rows).add("replayed", outcome.replayed()).build();
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
            JsonObjectBuilder deps = JSON.createObjectBuilder();
            view.deps().forEach((table, columns) -> {
                JsonArrayBuilder list = JSON.createArrayBuilder();
                columns.forEach(list::add);
                deps.add(table, list);
            });
            JsonObjectBuilder viewJson = JSON.createObjectBuilder().add("params", params(view.params())).add("deps", deps);
            if (!view.matches().isEmpty()) {
                JsonObjectBuilder where = JSON.createObjectBuilder();
                view.matches().forEach((table, columns) -> {
                    JsonObjectBuilder byColumn = JSON.createObjectBuilder();
                    columns.forEach(byColumn::add);
                    where.add(table, byColumn);
                });
                viewJson.add("where", where);
            }
            addRequirements(viewJson, view.requiredRoles(), view.requiredPermissions());
            views.add(key, viewJson);
        });
        JsonObjectBuilder mutations = JSON.createObjectBuilder();
        schema.mutations().forEach((key, mutation) -> {
            JsonObjectBuilder mutationJson = JSON.createObjectBuilder().add("params", params(mutation.params()));
            addRequirements(mutationJson, mutation.requiredRoles(), mutation.requiredPermissions());
            mutations.add(key, mutationJson);
        });
        return JSON.createObjectBuilder().add("tables", tables).add("views", views).add("mutations", mutations).build();
    }

    private static JsonObject params(Map<String, Param> params) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        params.forEach((name, param) -> json.add(name, param(param)));
        return json.build();
    }

    /** Only definitions that restrict their callers carry these keys. */
    private static void addRequirements(JsonObjectBuilder json, Set<String> roles,
                                        Set<String> permissions) {
        if (roles != null && !roles.isEmpty()) {
            json.add("requires_roles", JSON.createArrayBuilder(roles));
        }
        if (permissions != null && !permissions.isEmpty()) {
            json.add("requires_permissions", JSON.createArrayBuilder(permissions));
        }
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
        return health(stats, detector, Map.of());
    }

    /**
     * The health document; {@code runHops} as {@code run_hops}: count, mean, p50, p99 per hop, in ms, and
     * the non-empty buckets as {@code [upper bound µs, count]} pairs (a client diffs two documents to get
     * the percentiles of what happened between them).
     */
    public static JsonObject health(EngineStats stats, DetectorStatus detector,
                                    Map<String, LatencyHistogram.Snapshot> runHops) {
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
                .add("changes_ignored", stats.changesIgnored())
                .add("runs_in_flight", stats.runsInFlight())
                .add("max_runs_in_flight", stats.maxRunsInFlight());
        if (!runHops.isEmpty()) {
            JsonObjectBuilder hops = JSON.createObjectBuilder();
            runHops.forEach((hop, snapshot) -> {
                JsonArrayBuilder buckets = JSON.createArrayBuilder();
                snapshot.forEachBucket((upperMicros, count) -> buckets.add(JSON.createArrayBuilder()
                        .add(upperMicros).add(count)));
                hops.add(hop, JSON.createObjectBuilder()
                        .add("count", snapshot.count())
                        .add("mean_ms", rounded(snapshot.meanMillis()))
                        .add("p50_ms", rounded(snapshot.percentileMillis(50)))
                        .add("p99_ms", rounded(snapshot.percentileMillis(99)))
                        .add("buckets_us", buckets));
            });
            json.add("run_hops", hops);
        }
        if (detector != null) {
            json.add("detector", JSON.createObjectBuilder()
                    .add("mode", detector.mode())
                    .add("state", detector.state())
                    .add("lag", detector.lag())
                    .add("detail", detector.detail()));
        }
        return json.build();
    }

    /** Milliseconds with three decimals (microsecond resolution) for the stats. */
    private static double rounded(double millis) {
        return Math.round(millis * 1_000) / 1_000.0;
    }

    private static void addTotal(JsonObjectBuilder data, OptionalLong total) {
        total.ifPresent(t -> data.add("total", t));
    }
}
