package dev.arcana.engine.diff;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code table_diff} patch of one row: RFC 6902 ops over the row object.
 *
 * <p>The store keeps the union of the fields that all views read from a row, and a view's query
 * returns only its own fields; a field missing from {@code newFields} therefore means "not read
 * here", not "gone", and is never removed. Values compare with {@link JsonEquality}, so 1 and 1.0
 * are the same value.
 */
public final class RowDiff {

    private RowDiff() {
    }

    /**
     * One {@code add} per field of {@code newFields} that {@code oldRow} lacks, one {@code replace}
     * per field whose value changed, nothing for equal fields; {@code value} is always present,
     * JSON null included. Applied to {@code oldRow} (or to {} when it is null), the patch yields
     * {@link #merge}{@code (oldRow, newFields)} exactly.
     *
     * @param oldRow the row as the client has it, or null for a row new to the client
     * @return the patch; the shared empty array when nothing changed
     */
    public static JsonArray diff(JsonObject oldRow, JsonObject newFields) {
        Objects.requireNonNull(newFields, "newFields");
        JsonArrayBuilder ops = null; // only allocated once a field actually changed
        for (Map.Entry<String, JsonValue> e : newFields.entrySet()) {
            JsonValue oldValue = oldRow == null ? null : oldRow.get(e.getKey());
            String op;
            if (oldValue == null) {
                op = "add"; // absent; an explicit JSON null is JsonValue.NULL, not null
            } else if (!JsonEquality.equivalent(oldValue, e.getValue())) {
                op = "replace";
            } else {
                continue;
            }
            if (ops == null) {
                ops = JsonSupport.provider().createArrayBuilder();
            }
            ops.add(JsonSupport.provider().createObjectBuilder()
                    .add("op", op)
                    .add("path", JsonPointers.field(e.getKey()))
                    .add("value", e.getValue()));
        }
        return ops == null ? JsonValue.EMPTY_JSON_ARRAY : ops.build();
    }

    /**
     * The union of both rows, new values winning. A field whose value is equivalent but spelled
     * differently (1 vs 1.0) keeps the old spelling, because {@link #diff} sends no op for it and
     * the store must hold what clients hold.
     *
     * @param oldRow the stored row, or null
     * @return the merged row; {@code oldRow} itself when nothing changed (so {@code ==} tells)
     */
    public static JsonObject merge(JsonObject oldRow, JsonObject newFields) {
        Objects.requireNonNull(newFields, "newFields");
        if (oldRow == null) {
            return newFields;
        }
        JsonObjectBuilder merged = null;
        for (Map.Entry<String, JsonValue> e : newFields.entrySet()) {
            JsonValue oldValue = oldRow.get(e.getKey());
            if (oldValue != null && JsonEquality.equivalent(oldValue, e.getValue())) {
                continue;
            }
            if (merged == null) {
                merged = JsonSupport.provider().createObjectBuilder(oldRow);
            }
            merged.add(e.getKey(), e.getValue());
        }
        return merged == null ? oldRow : merged.build();
    }
}
