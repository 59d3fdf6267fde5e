package dev.arcana.engine;

import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncEntry;
import dev.arcana.api.spi.Delivery;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a client following PROTOCOL.md holds for one seance: its views (refs, version, total)
 * and the rows they reference. Applies snapshots, pushes and sync entries with Parsson's
 * standard RFC 6902 implementation, and drops rows no view references any more.
 */
final class ClientModel {

    static final class View {
        JsonArray refs;
        long version;
        JsonValue total;
    }

    private final String seanceId;
    private final String workspaceId;
    final Map<String, View> views = new LinkedHashMap<>();
    final Map<String, Map<String, JsonObject>> rows = new HashMap<>();
    private int applied;

    ClientModel(String seanceId, String workspaceId) {
        this.seanceId = seanceId;
        this.workspaceId = workspaceId;
    }

    void apply(Snapshot snapshot) {
        View view = views.computeIfAbsent(snapshot.paramsHash(), h -> new View());
        view.refs = snapshot.refs();
        view.version = snapshot.version();
        view.total = snapshot.total().isPresent() ? Json.createValue(snapshot.total().getAsLong()) : null;
        putRows(snapshot.tables());
        dropUnreferencedRows();
    }

    /** Applies every delivery meant for this client, starting after the ones already applied. */
    void applyNew(java.util.List<Delivery> all) {
        for (int i = applied; i < all.size(); i++) {
            Delivery delivery = all.get(i);
            boolean mine = delivery.audience() == Delivery.Audience.SEANCE
                    ? delivery.target().equals(seanceId) : delivery.target().equals(workspaceId);
            if (mine) {
                applyPush(delivery.push().type().wireName(), delivery.push().data());
            }
        }
        applied = all.size();
    }

    /** The client was away: it never sees the deliveries made until now. */
    void skipTo(int count) {
        applied = count;
    }

    void applyPush(String type, JsonObject data) {
        switch (type) {
            case "table_diff" -> applyTableDiff(data);
            case "view_diff" -> applyViewDiff(data);
            default -> throw new AssertionError("unexpected push " + type);
        }
    }

    void apply(SyncEntry entry) {
        View view = views.computeIfAbsent(entry.paramsHash(), h -> new View());
        switch (entry.mode()) {
            case SNAPSHOT -> {
                view.refs = entry.refs();
                view.version = entry.version();
            }
            case CATCH_UP -> {
                for (JsonValue value : entry.patches()) {
                    JsonObject patch = value.asJsonObject();
                    if (patch.getJsonNumber("version").longValue() != view.version + 1) {
                        throw new AssertionError("catch-up patch out of order: " + patch);
                    }
                    view.refs = Json.createPatch(patch.getJsonArray("refs_patch")).apply(view.refs);
                    view.version++;
                }
                if (view.version != entry.version()) {
                    throw new AssertionError("catch-up ended at " + view.version + ", server says " + entry.version());
                }
            }
            case ERROR -> throw new AssertionError("sync error: " + entry.error().getMessage());
        }
        view.total = entry.total().isPresent() ? Json.createValue(entry.total().getAsLong()) : null;
        putRows(entry.tables());
        dropUnreferencedRows();
    }

    private void applyTableDiff(JsonObject data) {
        String table = data.getString("table");
        String id = data.getString("id");
        Map<String, JsonObject> byId = rows.get(table);
        if (byId == null || !byId.containsKey(id)) {
            return;
        }
        if (data.getBoolean("deleted", false)) {
            byId.remove(id);
            return;
        }
        byId.put(id, Json.createPatch(data.getJsonArray("patch")).apply(byId.get(id)));
    }

    private void applyViewDiff(JsonObject data) {
        View view = views.get(data.getString("params_hash"));
        if (view == null) {
            return;
        }
        long version = data.getJsonNumber("version").longValue();
        if (version <= view.version) {
            return;
        }
        if (version != view.version + 1) {
            throw new AssertionError("version gap: had " + view.version + ", got " + version);
        }
        view.refs = Json.createPatch(data.getJsonArray("refs_patch")).apply(view.refs);
        view.version = version;
        view.total = data.containsKey("total") ? data.get("total") : null;
        putRows(data.getJsonObject("tables"));
        dropUnreferencedRows();
    }

    private void putRows(JsonObject tables) {
        tables.forEach((table, byId) -> byId.asJsonObject().forEach((id, row) ->
                rows.computeIfAbsent(table, t -> new HashMap<>()).put(id, row.asJsonObject())));
    }

    private void dropUnreferencedRows() {
        Set<String> referenced = new HashSet<>();
        for (View view : views.values()) {
            view.refs.forEach(ref -> collect(ref.asJsonObject(), referenced));
        }
        rows.forEach((table, byId) -> byId.keySet().removeIf(id -> !referenced.contains(table + '\u0000' + id)));
    }

    private static void collect(JsonObject ref, Set<String> keys) {
        keys.add(ref.getString("table") + '\u0000' + ref.getString("id"));
        JsonObject nested = ref.getJsonObject("nested");
        if (nested != null) {
            nested.values().forEach(child -> collect(child.asJsonObject(), keys));
        }
    }

    /** The rows a view references, as {table: {id: row}}; what a fresh snapshot's tables must equal. */
    Map<String, Map<String, JsonObject>> rowsOf(String paramsHash) {
        Set<String> keys = new HashSet<>();
        views.get(paramsHash).refs.forEach(ref -> collect(ref.asJsonObject(), keys));
        Map<String, Map<String, JsonObject>> result = new HashMap<>();
        for (String key : keys) {
            String[] parts = key.split("\u0000", 2);
            JsonObject row = rows.getOrDefault(parts[0], Map.of()).get(parts[1]);
            if (row != null) {
                result.computeIfAbsent(parts[0], t -> new HashMap<>()).put(parts[1], row);
            }
        }
        return result;
    }

    static Map<String, Map<String, JsonObject>> tablesAsMap(JsonObject tables) {
        Map<String, Map<String, JsonObject>> result = new HashMap<>();
        tables.forEach((table, byId) -> byId.asJsonObject().forEach((id, row) ->
                result.computeIfAbsent(table, t -> new HashMap<>()).put(id, row.asJsonObject())));
        return result;
    }
}
