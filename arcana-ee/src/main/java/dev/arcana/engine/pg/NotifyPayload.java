package dev.arcana.engine.pg;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.engine.diff.JsonSupport;
import dev.arcana.engine.mutation.CommitLedger;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Parses the payload of a trigger-mode notification ({@link TriggerSql}) into a {@link Change}.
 *
 * <p>Strict: the payload must be one JSON object with a non-empty string {@code table}, an
 * {@code op} naming a {@link ChangeOp}, and for INSERT/UPDATE/DELETE an {@code id} that is a string
 * or an explicit {@code null} (table-wide, sent when the key would not fit the NOTIFY limit); a
 * TRUNCATE carries no id (absent or null). Optional {@code columns}: array of non-empty strings
 * (absent means all); optional {@code ws}: string or null; optional {@code tx}: the transaction's
 * xid as a string of decimal digits; optional {@code v}: object of the new values (strings; null:
 * unknown) of the columns graphs match on. Unknown fields are ignored, so that
 * later versions may add some.
 */
public final class NotifyPayload {
    private static final java.util.regex.Pattern TX = java.util.regex.Pattern.compile("[0-9]{1,18}");

    private NotifyPayload() {
    }

    /** A parsed payload: the change and its transaction's xid (32 bits, unsigned), or -1 when the payload has none. */
    public record Notice(Change change, long xid) {
    }

    /** @throws IllegalArgumentException for anything but a valid payload, naming the problem */
    public static Change parse(String payload) {
        return read(payload).change();
    }

    /** Like {@link #parse}, with the optional {@code tx}. */
    public static Notice read(String payload) {
        if (payload == null) {
            throw new IllegalArgumentException("notification payload is null");
        }
        JsonValue value;
        // a parser rather than a JsonReader: readers ignore whatever follows the first value
        try (JsonParser parser = JsonSupport.provider().createParser(new StringReader(payload))) {
            if (!parser.hasNext()) {
                throw new IllegalArgumentException("notification payload is empty");
            }
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) {
                throw problem("has content after the JSON value", payload);
            }
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("notification payload is not valid JSON: " + e.getMessage()
                    + " (payload: " + abbreviate(payload) + ")", e);
        }
        if (!(value instanceof JsonObject object)) {
            throw problem("is not a JSON object", payload);
        }
        String table = requiredString(object, "table", payload);
        if (table.isEmpty()) {
            throw problem("has an empty \"table\"", payload);
        }
        String opName = requiredString(object, "op", payload);
        ChangeOp op;
        try {
            op = ChangeOp.valueOf(opName);
        } catch (IllegalArgumentException e) {
            throw problem("has an unknown \"op\" '" + opName + "'", payload);
        }
        String id;
        if (op == ChangeOp.TRUNCATE) {
            if (object.containsKey("id") && object.get("id").getValueType() != JsonValue.ValueType.NULL) {
                throw problem("is a TRUNCATE with an \"id\"", payload);
            }
            id = null;
        } else {
            if (!object.containsKey("id")) {
                throw problem("lacks \"id\"", payload);
            }
            id = optionalString(object, "id", payload);
        }
        Set<String> columns = columns(object, payload);
        String ws = object.containsKey("ws") ? optionalString(object, "ws", payload) : null;
        return new Notice(new Change(table, id, op, columns, ws, values(object, payload)), xid(object, payload));
    }

    /** The optional {@code v}: the new values of the columns graphs match on (an object of strings). */
    private static java.util.Map<String, String> values(JsonObject object, String payload) {
        JsonValue value = object.get("v");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return java.util.Map.of();
        }
        if (!(value instanceof JsonObject values)) {
            throw problem("has a \"v\" that is not an object", payload);
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        values.forEach((column, v) -> {
            if (v instanceof JsonString string) {
                out.put(column, string.getString());
            } else if (v.getValueType() != JsonValue.ValueType.NULL) {
                throw problem("has a \"v\" entry that is not a string", payload);
            }
        });
        return out;
    }

    private static long xid(JsonObject object, String payload) {
        JsonValue value = object.get("tx");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return -1;
        }
        if (!(value instanceof JsonString string) || !TX.matcher(string.getString()).matches()) {
            throw problem("has a \"tx\" that is not a transaction id", payload);
        }
        return CommitLedger.xid(Long.parseLong(string.getString()));
    }

    private static Set<String> columns(JsonObject object, String payload) {
        if (!object.containsKey("columns") || object.get("columns").getValueType() == JsonValue.ValueType.NULL) {
            return Set.of();
        }
        if (!(object.get("columns") instanceof JsonArray array)) {
            throw problem("has a \"columns\" that is not an array", payload);
        }
        Set<String> columns = new LinkedHashSet<>();
        for (JsonValue column : array) {
            if (!(column instanceof JsonString string) || string.getString().isEmpty()) {
                throw problem("has a \"columns\" entry that is not a non-empty string", payload);
            }
            columns.add(string.getString());
        }
        return columns;
    }

    private static String requiredString(JsonObject object, String field, String payload) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw problem("lacks \"" + field + "\"", payload);
        }
        if (!(value instanceof JsonString string)) {
            throw problem("has a \"" + field + "\" that is not a string", payload);
        }
        return string.getString();
    }

    private static String optionalString(JsonObject object, String field, String payload) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonString string)) {
            throw problem("has a \"" + field + "\" that is neither a string nor null", payload);
        }
        return string.getString();
    }

    private static IllegalArgumentException problem(String what, String payload) {
        return new IllegalArgumentException("notification payload " + what + ": " + abbreviate(payload));
    }

    private static String abbreviate(String payload) {
        return payload.length() <= 200 ? payload : payload.substring(0, 200) + "…(" + payload.length() + " chars)";
    }
}
