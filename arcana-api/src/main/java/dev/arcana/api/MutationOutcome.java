package dev.arcana.api;

import jakarta.json.JsonValue;
import java.util.List;
import java.util.Objects;

/**
 * What a committed mutation answers its caller. By the time it is returned, the mutation's re-runs
 * have been applied: {@code views} are the caller's seance's subscriptions they touched, with the
 * version that includes the mutation, and {@code rows} the rows it changed that the workspace's
 * store holds, with their row version. A client whose state reached those versions has the
 * mutation's effects (over WebSocket they are queued before the reply).
 *
 * @param data       what the handler returned ({@link JsonValue#NULL} for nothing)
 * @param mutationId the client's id, or null when it sent none
 * @param replayed   true when this repeats the first outcome of the same mutation id
 */
public record MutationOutcome(JsonValue data, String mutationId, List<ViewVersion> views, List<RowVersion> rows,
                              boolean replayed) {

    public MutationOutcome {
        data = data == null ? JsonValue.NULL : data;
        views = List.copyOf(Objects.requireNonNull(views, "views"));
        rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
    }

    /** The same outcome, answered again for a retried mutation id. */
    public MutationOutcome asReplay() {
        return replayed ? this : new MutationOutcome(data, mutationId, views, rows, true);
    }

    /** A subscription and the version of it that includes the mutation. */
    public record ViewVersion(String view, String paramsHash, long version) {
    }

    /** A row of the workspace's store and the row version ({@code ver} of table_diff) that includes the mutation. */
    public record RowVersion(String table, String id, long version) {
    }
}
