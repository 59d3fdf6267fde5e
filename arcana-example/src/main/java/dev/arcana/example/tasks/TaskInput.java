package dev.arcana.example.tasks;

import dev.arcana.api.ArcanaException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** A validated task write: which fields were given and their values. Invalid input is a 400. */
record TaskInput(Optional<String> title, Optional<Boolean> done, Optional<Integer> position,
                 Optional<Optional<UUID>> assignee) {
    private static final Set<String> FIELDS = Set.of("title", "done", "position", "assignee_id");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final int MAX_TITLE = 200;

    static TaskInput parse(JsonObject body) {
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                throw ArcanaException.badRequest("unknown field '" + key + "'");
            }
        }
        return new TaskInput(title(body), done(body), position(body), assignee(body));
    }

    boolean isEmpty() {
        return title.isEmpty() && done.isEmpty() && position.isEmpty() && assignee.isEmpty();
    }

    static UUID uuid(String text, String what) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ArcanaException.badRequest(what + " must be a UUID");
        }
        return UUID.fromString(text);
    }

    private static Optional<String> title(JsonObject body) {
        JsonValue value = body.get("title");
        if (value == null) {
            return Optional.empty();
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw ArcanaException.badRequest("'title' must be a string");
        }
        String title = ((JsonString) value).getString().strip();
        if (title.isEmpty()) {
            throw ArcanaException.badRequest("'title' must not be empty");
        }
        if (title.length() > MAX_TITLE) {
            throw ArcanaException.badRequest("'title' must be at most " + MAX_TITLE + " characters");
        }
        // PostgreSQL refuses U+0000 in text (a 500 before); the other controls make no sense in a title
        if (title.chars().anyMatch(Character::isISOControl)) {
            throw ArcanaException.badRequest("'title' must not contain control characters");
        }
        return Optional.of(title);
    }

    private static Optional<Boolean> done(JsonObject body) {
        JsonValue value = body.get("done");
        if (value == null) {
            return Optional.empty();
        }
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw ArcanaException.badRequest("'done' must be true or false");
        }
        return Optional.of(value == JsonValue.TRUE);
    }

    private static Optional<Integer> position(JsonObject body) {
        JsonValue value = body.get("position");
        if (value == null) {
            return Optional.empty();
        }
        if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()) {
            throw ArcanaException.badRequest("'position' must be an integer");
        }
        try {
            return Optional.of(((JsonNumber) value).intValueExact());
        } catch (ArithmeticException e) {
            throw ArcanaException.badRequest("'position' is out of range");
        }
    }

    private static Optional<Optional<UUID>> assignee(JsonObject body) {
        JsonValue value = body.get("assignee_id");
        if (value == null) {
            return Optional.empty();
        }
        if (value == JsonValue.NULL) {
            return Optional.of(Optional.empty());
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw ArcanaException.badRequest("'assignee_id' must be a UUID or null");
        }
        return Optional.of(Optional.of(uuid(((JsonString) value).getString(), "'assignee_id'")));
    }
}
