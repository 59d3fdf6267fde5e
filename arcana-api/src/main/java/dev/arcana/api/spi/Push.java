package dev.arcana.api.spi;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.Objects;

/**
 * One server push {@code {"type": ..., "data": {...}}}. Its JSON text is rendered once, on first
 * use, and shared by every recipient.
 */
public final class Push {
    private final PushType type;
    private final JsonObject data;
    private volatile String json;

    public Push(PushType type, JsonObject data) {
        this.type = Objects.requireNonNull(type, "type");
        this.data = Objects.requireNonNull(data, "data");
    }

    public static Push resync(String reason) {
        return new Push(PushType.RESYNC, Json.createObjectBuilder().add("reason", reason).build());
    }

    public PushType type() {
        return type;
    }

    public JsonObject data() {
        return data;
    }

    /** The whole push as a JSON object. */
    public JsonObject toJsonObject() {
        return Json.createObjectBuilder().add("type", type.wireName()).add("data", data).build();
    }

    /** The whole push as JSON text (cached). */
    public String json() {
        String text = json;
        if (text == null) {
            text = JsonText.render("{\"type\":\"" + type.wireName() + "\",\"data\":", data, "}");
            json = text;
        }
        return text;
    }

    @Override
    public String toString() {
        return json();
    }
}
