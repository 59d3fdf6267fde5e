package dev.arcana.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a factory returns: normalised rows ({@code table -> id -> fields}) and the view's
 * structure as an ordered list of refs, plus an optional total (e.g. the count before LIMIT).
 * Not thread-safe: one factory run fills one result.
 */
public final class Result {
    private final Map<String, Map<String, Map<String, Object>>> tables = new LinkedHashMap<>();
    private final List<Ref> refs = new ArrayList<>();
    private int rowCount;
    private Long total;

    /**
     * Adds (or merges into) the row {@code table/id}. Field values may be null, strings, numbers,
     * booleans, UUIDs, temporals, collections or maps.
     */
    public Result addRow(String table, Object id, Map<String, ?> fields) {
        Map<String, Object> row = tables.computeIfAbsent(table, t -> new LinkedHashMap<>())
                .computeIfAbsent(String.valueOf(id), i -> {
                    rowCount++;
                    return new LinkedHashMap<>();
                });
        row.putAll(fields);
        return this;
    }

    public Result addRef(Ref ref) {
        refs.add(ref);
        return this;
    }

    /** Adds the row and a ref to it whose fields are the row's field names, in one call. */
    public Result addRowAndRef(String table, Object id, Map<String, ?> fields) {
        addRow(table, id, fields);
        return addRef(new Ref(table, String.valueOf(id), List.copyOf(fields.keySet()), Map.of()));
    }

    public Result setTotal(long total) {
        this.total = total;
        return this;
    }

    /** Number of distinct rows added. */
    public int rowCount() {
        return rowCount;
    }

    public List<Ref> refs() {
        return Collections.unmodifiableList(refs);
    }

    public Map<String, Map<String, Map<String, Object>>> tables() {
        return Collections.unmodifiableMap(tables);
    }

    /** The total set with {@link #setTotal}, or empty when the factory set none. */
    public OptionalLong total() {
        return total == null ? OptionalLong.empty() : OptionalLong.of(total);
    }
}
