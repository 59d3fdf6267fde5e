package dev.arcana.engine;

import dev.arcana.engine.diff.JsonSupport;
import dev.arcana.engine.diff.RowDiff;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One workspace's normalised rows: table → id → row, where a row keeps the union of the fields
 * every view read, a version bumped on each effective change, and the number of query instances
 * referencing it. Not thread-safe: guarded by its {@link WorkspaceState}'s lock.
 *
 * <p>Several instances write the same row, and their runs overlap: a run that started before a
 * change may finish after a run that started after it. So each field remembers the start stamp of
 * the run that wrote it, and a field is only overwritten by a run that started later (it read the
 * database later). Otherwise a slow run of one instance could put back an old value that another
 * instance had already refreshed, and if the slow instance's follow-up run no longer read that row,
 * the old value would stay.
 */
final class RowStore {

    static final class StoredRow {
        /** {@link #stampOf} a field no run wrote. */
        static final long UNWRITTEN = Long.MIN_VALUE;

        JsonObject data;
        long version;
        int instances;
        boolean deletePending;
        /** The start stamp of the run that wrote every field not in {@link #fieldStamps}. */
        private long stamp;
        /**
         * Field → start stamp, for fields written by a run that wrote only some of the row's fields; null while
         * one run wrote them all (the usual case: a map of boxed stamps cost ~400 bytes per row).
         */
        private Map<String, Long> fieldStamps;

        /** The start stamp of the run that wrote this field; {@link #UNWRITTEN} when none did (it is not in the row). */
        long stampOf(String field) {
            if (!data.containsKey(field)) {
                return UNWRITTEN;
            }
            Long own = fieldStamps == null ? null : fieldStamps.get(field);
            return own != null ? own : stamp;
        }

        /** Records that a run starting at {@code runStamp} wrote these fields (before they are merged into the row). */
        void stamp(Set<String> written, long runStamp) {
            if (written.containsAll(data.keySet())) { // every field of the row is now this run's
                stamp = runStamp;
                fieldStamps = null;
                return;
            }
            if (fieldStamps == null) {
                fieldStamps = new HashMap<>();
            }
            for (String field : written) {
                fieldStamps.put(field, runStamp);
            }
        }
    }

    /** An effective change of a row the store already held. */
    record RowPatch(String table, String id, long version, JsonArray patch) {
    }

    private final Map<String, Map<String, StoredRow>> tables = new HashMap<>();
    private int size;

    /**
     * Merges fields into a row. Returns the patch when the store held the row and a field changed;
     * null when the row is new to the store (clients get it inside view diffs) or nothing changed.
     */
    RowPatch upsert(String table, String id, JsonObject fields, long runStamp) {
        Map<String, StoredRow> rows = tables.computeIfAbsent(table, t -> new HashMap<>());
        StoredRow row = rows.get(id);
        if (row == null) {
            row = new StoredRow();
            row.data = fields;
            row.version = 1;
            row.stamp = runStamp;
            rows.put(id, row);
            size++;
            return null;
        }
        row.deletePending = false;
        JsonObject fresher = fresherFields(row, fields, runStamp);
        JsonArray patch = RowDiff.diff(row.data, fresher);
        if (patch.isEmpty()) {
            return null;
        }
        row.data = RowDiff.merge(row.data, fresher);
        row.version++;
        return new RowPatch(table, id, row.version, patch);
    }

    /** The fields this run may write (none written by a run that started later), stamped with the run. */
    private static JsonObject fresherFields(StoredRow row, JsonObject fields, long runStamp) {
        JsonObjectBuilder fresher = null;
        for (Map.Entry<String, JsonValue> field : fields.entrySet()) {
            if (row.stampOf(field.getKey()) > runStamp) {
                if (fresher == null) { // the first stale field: copy the fresh ones seen so far
                    fresher = JsonSupport.provider().createObjectBuilder();
                    for (Map.Entry<String, JsonValue> earlier : fields.entrySet()) {
                        if (earlier.getKey().equals(field.getKey())) {
                            break;
                        }
                        fresher.add(earlier.getKey(), earlier.getValue());
                    }
                }
                continue;
            }
            if (fresher != null) {
                fresher.add(field.getKey(), field.getValue());
            }
        }
        JsonObject written = fresher == null ? fields : fresher.build();
        row.stamp(written.keySet(), runStamp);
        return written;
    }

    StoredRow get(RowKey key) {
        Map<String, StoredRow> rows = tables.get(key.table());
        return rows == null ? null : rows.get(key.id());
    }

    JsonObject data(RowKey key) {
        StoredRow row = get(key);
        return row == null ? null : row.data;
    }

    void retain(RowKey key) {
        StoredRow row = get(key);
        if (row != null) {
            row.instances++;
        }
    }

    void release(RowKey key) {
        StoredRow row = get(key);
        if (row != null && row.instances > 0) {
            row.instances--;
        }
    }

    /** Remembers that the database deleted this row: it leaves the store once no instance references it. */
    boolean markDeletePending(String table, String id) {
        Map<String, StoredRow> rows = tables.get(table);
        StoredRow row = rows == null ? null : rows.get(id);
        if (row == null) {
            return false;
        }
        row.deletePending = true;
        return true;
    }

    /** Removes the row if the database deleted it and no instance references it; returns its last version. */
    long removeIfDeleted(RowKey key) {
        Map<String, StoredRow> rows = tables.get(key.table());
        StoredRow row = rows == null ? null : rows.get(key.id());
        if (row == null || !row.deletePending || row.instances > 0) {
            return -1;
        }
        rows.remove(key.id());
        size--;
        return row.version + 1;
    }

    /** Drops every row no instance references; returns how many. */
    int collectGarbage() {
        int removed = 0;
        for (Map.Entry<String, Map<String, StoredRow>> table : tables.entrySet()) {
            Iterator<Map.Entry<String, StoredRow>> it = table.getValue().entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, StoredRow> entry = it.next();
                if (entry.getValue().instances == 0) {
                    it.remove();
                    removed++;
                }
            }
        }
        tables.values().removeIf(Map::isEmpty);
        size -= removed;
        return removed;
    }

    /** Per table (sorted): how many rows, and the data of the first {@code limit} by id. */
    Map<String, Map.Entry<Integer, List<JsonObject>>> firstRows(int limit) {
        Map<String, Map.Entry<Integer, List<JsonObject>>> out = new java.util.TreeMap<>();
        tables.forEach((table, rows) -> out.put(table, Map.entry(rows.size(), rows.entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).limit(limit).map(row -> row.getValue().data).toList())));
        return out;
    }

    int size() {
        return size;
    }
}
