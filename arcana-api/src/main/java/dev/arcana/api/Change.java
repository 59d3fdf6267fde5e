package dev.arcana.api;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One committed row change, as a change source reports it.
 *
 * @param table       table name as the graphs declare it
 * @param id          the row's key, or null for a table-wide change
 * @param op          what happened
 * @param columns     the changed columns; empty means unknown (treated as all)
 * @param workspaceId the row's tenant, or null when unknown (every workspace is considered)
 * @param values      new values (as PostgreSQL prints them) of the columns graphs match on
 *                    ({@link ColumnMatch}); a column absent here is unknown (a null value is JSON null:
 *                    absent too). Empty: none known
 */
public record Change(String table, String id, ChangeOp op, Set<String> columns, String workspaceId,
                     Map<String, String> values) {

    public Change {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        columns = columns == null ? Set.of() : Set.copyOf(columns);
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public Change(String table, String id, ChangeOp op, Set<String> columns, String workspaceId) {
        this(table, id, op, columns, workspaceId, Map.of());
    }

    /** This change with the new values of some columns (what {@link ColumnMatch} routing reads). */
    public Change withValues(Map<String, String> newValues) {
        return new Change(table, id, op, columns, workspaceId, newValues);
    }

    /** Every row of {@code table} may have changed, in every workspace. */
    public static Change tableWide(String table) {
        return new Change(table, null, ChangeOp.UPDATE, Set.of(), null);
    }

    public static Change update(String table, String id, String workspaceId, String... columns) {
        return new Change(table, id, ChangeOp.UPDATE, Set.of(columns), workspaceId);
    }

    public static Change insert(String table, String id, String workspaceId) {
        return new Change(table, id, ChangeOp.INSERT, Set.of(), workspaceId);
    }

    public static Change delete(String table, String id, String workspaceId) {
        return new Change(table, id, ChangeOp.DELETE, Set.of(), workspaceId);
    }
}
