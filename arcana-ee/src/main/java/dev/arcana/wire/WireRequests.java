package dev.arcana.wire;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.SyncRequest;
import dev.arcana.engine.mutation.MutationMemory;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses client requests (HTTP bodies and WebSocket frames) into engine values. Anything
 * malformed is a {@code bad_request} naming what is wrong; nothing is half-applied.
 */
public final class WireRequests {
    /** Views one sync request may carry; beyond that the request is refused rather than served slowly. */
    public static final int MAX_SYNC_VIEWS = 1_000;

    private WireRequests() {
    }

    /** A subscribe request: the view and its raw params (JSON values, validated by the engine). */
    public record Subscribe(String view, Map<String, JsonValue> params) {
    }

    /** An unsubscribe request. */
    public record Unsubscribe(String view, String paramsHash) {
    }

    /**
     * A mutate request: the action, its raw params (validated strictly by the engine) and the
     * client's mutation id, or null when it sent none.
     */
    public record Mutate(String action, Map<String, JsonValue> params, String mutationId) {
    }

    /** Longest action name (a mutation's key is at most that long). */
    public static final int MAX_ACTION_LENGTH = 128;
    private static final Set<String> MUTATE_FIELDS = Set.of("action", "params", "mutation_id");
    /** A WebSocket frame also carries its {@code id} and {@code type}. */
    private static final Set<String> MUTATE_FRAME_FIELDS = Set.of("id", "type", "action", "params", "mutation_id");

    /**
     * A client's JSON object, read by {@link StrictJson} (depth limit, no duplicate keys, no
     * trailing data); anything else is a {@code bad_request}.
     */
    public static JsonObject parseObject(String text) {
        if (text == null || text.isBlank()) {
            throw ArcanaException.badRequest("request body is empty");
        }
        JsonValue value = StrictJson.parse(text, "request body");
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ArcanaException.badRequest("request body must be a JSON object");
        }
        return value.asJsonObject();
    }

    public static Subscribe subscribe(JsonObject body) {
        return new Subscribe(requiredString(body, "view"), optionalObject(body, "params"));
    }

    public static Unsubscribe unsubscribe(JsonObject body) {
        return new Unsubscribe(requiredString(body, "view"), requiredString(body, "params_hash"));
    }

    /** The body of {@code POST {mount}/mutate}: {@code action}, {@code params}, {@code mutation_id}, nothing else. */
    public static Mutate mutate(JsonObject body) {
        return mutate(body, MUTATE_FIELDS);
    }

    /** A {@code mutate} WebSocket frame: the body's fields plus {@code id} and {@code type}. */
    public static Mutate mutateFrame(JsonObject frame) {
        return mutate(frame, MUTATE_FRAME_FIELDS);
    }

    private static Mutate mutate(JsonObject body, Set<String> allowed) {
        for (String field : body.keySet()) {
            if (!allowed.contains(field)) {
                throw ArcanaException.badRequest("unknown field '" + abbreviate(field) + "'");
            }
        }
        String action = requiredString(body, "action");
        if (action.length() > MAX_ACTION_LENGTH) {
            throw ArcanaException.badRequest("'action' must be at most " + MAX_ACTION_LENGTH + " characters long");
        }
        JsonValue params = body.get("params");
        if (params != null && params.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ArcanaException.badRequest("'params' must be an object");
        }
        return new Mutate(action, params == null ? Map.of() : params.asJsonObject(), mutationId(body));
    }

    private static String mutationId(JsonObject body) {
        JsonValue value = body.get("mutation_id");
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonString id) || !MutationMemory.isValidId(id.getString())) {
            throw ArcanaException.badRequest("'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -");
        }
        return id.getString();
    }

    /** A client's text echoed in a message, cut to a readable length. */
    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    public static List<SyncRequest> sync(JsonObject body) {
        JsonValue views = body.get("views");
        if (views == null || views.getValueType() != JsonValue.ValueType.ARRAY) {
            throw ArcanaException.badRequest("'views' must be an array");
        }
        JsonArray array = views.asJsonArray();
        if (array.size() > MAX_SYNC_VIEWS) {
            throw ArcanaException.badRequest("'views' holds more than " + MAX_SYNC_VIEWS + " entries");
        }
        List<SyncRequest> requests = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonValue entry = array.get(i);
            if (entry.getValueType() != JsonValue.ValueType.OBJECT) {
                throw ArcanaException.badRequest("'views[" + i + "]' must be an object");
            }
            JsonObject view = entry.asJsonObject();
            String where = "views[" + i + "].";
            JsonValue params = view.get("params");
            requests.add(new SyncRequest(
                    requiredString(view, "view", where),
                    requiredString(view, "params_hash", where),
                    requiredVersion(view, where),
                    params == null || params == JsonValue.NULL ? null : optionalObject(view, "params")));
        }
        return requests;
    }

    /** The value of a required string member of a frame or body. */
    public static String requiredString(JsonObject object, String name) {
        return requiredString(object, name, "");
    }

    private static String requiredString(JsonObject object, String name, String where) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            throw ArcanaException.badRequest("'" + where + name + "' is required");
        }
        if (value.getValueType() != JsonValue.ValueType.STRING || ((JsonString) value).getString().isEmpty()) {
            throw ArcanaException.badRequest("'" + where + name + "' must be a non-empty string");
        }
        return ((JsonString) value).getString();
    }

    private static long requiredVersion(JsonObject object, String where) {
        JsonValue value = object.get("version");
        if (value == null || value.getValueType() != JsonValue.ValueType.NUMBER
                || !((JsonNumber) value).isIntegral() || ((JsonNumber) value).longValue() < 0) {
            throw ArcanaException.badRequest("'" + where + "version' must be a non-negative integer");
        }
        return ((JsonNumber) value).longValue();
    }

    private static Map<String, JsonValue> optionalObject(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return Map.of();
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ArcanaException.badRequest("'" + name + "' must be an object");
        }
        return value.asJsonObject();
    }
}
