package dev.arcana.engine;

import dev.arcana.api.Ref;
import dev.arcana.api.Result;
import dev.arcana.engine.diff.JsonSupport;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A factory result in wire form, computed once per run: refs as JSON objects, the set of rows
 * they reference (nested included), the rows as JSON objects, and the total.
 */
record ResultView(List<JsonObject> refs, Set<RowKey> rowKeys, Map<RowKey, JsonObject> rows, OptionalLong total) {

    private static final JsonProvider JSON = JsonSupport.provider();

    static ResultView of(Result result) {
        List<JsonObject> refs = new ArrayList<>(result.refs().size());
        Set<RowKey> keys = new LinkedHashSet<>();
        for (Ref ref : result.refs()) {
            refs.add(refJson(ref, keys));
        }
        Map<RowKey, JsonObject> rows = new LinkedHashMap<>();
        result.tables().forEach((table, byId) -> byId.forEach((id, fields) ->
                rows.put(new RowKey(table, id), JsonValues.row(fields))));
        return new ResultView(List.copyOf(refs), keys, rows, result.total());
    }

    static JsonObject refJson(Ref ref, Set<RowKey> keys) {
        keys.add(new RowKey(ref.table(), ref.id()));
        JsonArrayBuilder fields = JSON.createArrayBuilder();
        ref.fields().forEach(fields::add);
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("table", ref.table())
                .add("id", ref.id())
                .add("fields", fields);
        if (!ref.nested().isEmpty()) {
            JsonObjectBuilder nested = JSON.createObjectBuilder();
            ref.nested().forEach((name, child) -> nested.add(name, refJson(child, keys)));
            json.add("nested", nested);
        }
        return json.build();
    }
}
