package dev.arcana.engine.diff;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: building refs and applying patches with Parsson's standard applier. */
final class Refs {

    /** Cached: Json.* looks the provider up on every call, which dominates bulk generation. */
    private static final JsonProvider JSON = JsonSupport.provider();

    private Refs() {
    }

    static JsonObject ref(String table, String id, String... fields) {
        JsonArrayBuilder names = JSON.createArrayBuilder();
        for (String field : fields) {
            names.add(field);
        }
        return JSON.createObjectBuilder().add("table", table).add("id", id).add("fields", names).build();
    }

    static JsonObject withNested(JsonObject ref, String name, JsonObject nested) {
        JsonObjectBuilder all = ref.containsKey("nested")
                ? JSON.createObjectBuilder(ref.getJsonObject("nested")) : JSON.createObjectBuilder();
        return JSON.createObjectBuilder(ref).add("nested", all.add(name, nested)).build();
    }

    /** n refs of table "t" with ids "0".."n-1". */
    static List<JsonObject> numbered(int n) {
        List<JsonObject> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(ref("t", String.valueOf(i), "id", "name"));
        }
        return refs;
    }

    static JsonArray array(List<JsonObject> refs) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        refs.forEach(array::add);
        return array.build();
    }

    static JsonArray apply(List<JsonObject> oldRefs, JsonArray patch) {
        return JSON.createPatch(patch).apply(array(oldRefs));
    }

    static long count(JsonArray patch, String op) {
        return patch.stream().filter(o -> o.asJsonObject().getString("op").equals(op)).count();
    }
}
