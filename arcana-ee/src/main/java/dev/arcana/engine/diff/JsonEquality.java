package dev.arcana.engine.diff;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * Value equality for row data, where numbers compare by numeric value.
 *
 * <p>{@link JsonNumber#equals} compares {@code BigDecimal}s including their scale, so 1 and 1.0
 * differ; a database driver may hand out either for the same column value, and sending a change
 * for it would be noise. Everything else compares as {@link JsonValue#equals} does.
 */
public final class JsonEquality {

    private JsonEquality() {
    }

    public static boolean equivalent(JsonValue a, JsonValue b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a.getValueType() != b.getValueType()) {
            return false;
        }
        switch (a.getValueType()) {
            case NUMBER:
                return ((JsonNumber) a).bigDecimalValue().compareTo(((JsonNumber) b).bigDecimalValue()) == 0;
            case OBJECT:
                return objectsEquivalent((JsonObject) a, (JsonObject) b);
            case ARRAY:
                return arraysEquivalent((JsonArray) a, (JsonArray) b);
            case STRING:
                return a.equals(b);
            default:
                return true; // TRUE, FALSE, NULL: same type is same value
        }
    }

    private static boolean objectsEquivalent(JsonObject a, JsonObject b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, JsonValue> e : a.entrySet()) {
            if (!equivalent(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean arraysEquivalent(JsonArray a, JsonArray b) {
        int n = a.size();
        if (n != b.size()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!equivalent(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
