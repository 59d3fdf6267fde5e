package dev.arcana.api;

import jakarta.json.JsonValue;
import java.util.List;
import java.util.Objects;

/**
 * What a handler returns: {@code data} for the caller (any JSON, {@code null} for none) and the
 * changes it declares — applied to the views after commit, besides those a detector sees.
 */
public record MutationResult(JsonValue data, List<Change> changes) {
    public MutationResult {
        data = data == null ? JsonValue.NULL : data;
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
    }

    /** A result with data and no declared changes (a detector, or explicit notify calls, report them). */
    public static MutationResult of(JsonValue data) {
        return new MutationResult(data, List.of());
    }

    /** A result with data and the changes the handler made. */
    public static MutationResult of(JsonValue data, Change... changes) {
        return new MutationResult(data, List.of(changes));
    }
}
