package dev.arcana.load;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** A task as the database holds it now: the truth a client's view is compared with. */
record TaskRow(String id, String title, boolean done, int position) {

    boolean matches(JsonObject held) {
        JsonValue doneValue = held.get("done");
        JsonNumber positionValue = held.getJsonNumber("position");
        return title.equals(held.getString("title", null))
                && doneValue != null && (doneValue == JsonValue.TRUE) == done
                && positionValue != null && positionValue.intValue() == position;
    }
}
