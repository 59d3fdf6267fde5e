package dev.arcana.engine;

import dev.arcana.engine.diff.RowDiff;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One workspace's normalised rows: table → id → row, where a row keeps the union of the fields
 * every view read, a version bumped on each effective change, and the number of query instances
 * referencing it. Not thread-safe: guarded by its {@link WorkspaceState}'s lock.
 */
final class RowStore {

    static final class StoredRow {
        JsonObject data;
        long version;
        int instances;
        boolean deletePending;
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
    RowPatch upsert(String table, String id, JsonObject fields) {
        Map<String, StoredRow> rows = tables.computeIfAbsent(table, t -> new HashMap<>());
        StoredRow row = rows.get(id);
        if (row == null) {
            row = new StoredRow();
            row.data = fields;
            row.version = 1;
            rows.put(id, row);
            size++;
            return null;
        }
        row.deletePending = false;
        JsonArray patch = RowDiff.diff(row.data, fields);
        if (patch.isEmpty()) {
            return null;
        }
        row.data = RowDiff.merge(row.data, fields);
        row.version++;
        return new RowPatch(table, id, row.version, patch);
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

    int size() {
        return size;
    }
}
