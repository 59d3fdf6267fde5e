package dev.arcana.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A table a graph reads, the columns whose changes affect it, the tenant column (when rows
 * belong to one workspace: changes then re-run only that workspace's views) and the key column
 * (default {@code id}).
 *
 * @param table        table name, optionally schema-qualified ({@code app.users})
 * @param columns      tracked columns; an UPDATE touching none of them is ignored
 * @param tenantColumn column holding the workspace id, or null
 * @param keyColumn    column holding the row id
 * @param matches      what the graph promises about the rows it shows (see {@link ColumnMatch}), in the
 *                     order declared
 */
public record TableDependency(String table, Set<String> columns, String tenantColumn, String keyColumn,
                              List<ColumnMatch> matches) {

    public TableDependency {
        Objects.requireNonNull(table, "table");
        columns = columns == null ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(columns));
        keyColumn = keyColumn == null || keyColumn.isBlank() ? "id" : keyColumn;
        tenantColumn = tenantColumn == null || tenantColumn.isBlank() ? null : tenantColumn;
        matches = matches == null ? List.of() : List.copyOf(matches);
    }

    public TableDependency(String table, Set<String> columns, String tenantColumn, String keyColumn) {
        this(table, columns, tenantColumn, keyColumn, List.of());
    }

    public static TableDependency of(String table, String... columns) {
        return new TableDependency(table, new LinkedHashSet<>(List.of(columns)), null, "id");
    }

    public TableDependency tenantColumn(String column) {
        return new TableDependency(table, columns, column, keyColumn, matches);
    }

    public TableDependency keyColumn(String column) {
        return new TableDependency(table, columns, tenantColumn, column, matches);
    }

    /**
     * Promises that every row of this table an instance shows has {@code column} (a tracked column)
     * equal to {@code source}'s value for the instance: changes then re-run only the instances they
     * can affect (see {@link ColumnMatch}). One call per column; several columns must all match.
     */
    public TableDependency where(String column, ColumnMatch.Source source) {
        if (matches.stream().anyMatch(match -> match.column().equals(column))) {
            throw new IllegalArgumentException("column '" + column + "' of " + table + " already has a where(...)");
        }
        List<ColumnMatch> more = new java.util.ArrayList<>(matches);
        more.add(new ColumnMatch(column, source));
        return new TableDependency(table, columns, tenantColumn, keyColumn, more);
    }

    /** True when a change of these columns (empty: unknown, i.e. all) may affect the graph. */
    public boolean isAffectedBy(Set<String> changedColumns) {
        if (changedColumns == null || changedColumns.isEmpty()) {
            return true;
        }
        for (String column : changedColumns) {
            if (columns.contains(column)) {
                return true;
            }
        }
        return false;
    }
}
