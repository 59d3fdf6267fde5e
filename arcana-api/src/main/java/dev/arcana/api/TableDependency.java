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
 */
public record TableDependency(String table, Set<String> columns, String tenantColumn, String keyColumn) {

    public TableDependency {
        Objects.requireNonNull(table, "table");
        columns = columns == null ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(columns));
        keyColumn = keyColumn == null || keyColumn.isBlank() ? "id" : keyColumn;
        tenantColumn = tenantColumn == null || tenantColumn.isBlank() ? null : tenantColumn;
    }

    public static TableDependency of(String table, String... columns) {
        return new TableDependency(table, new LinkedHashSet<>(List.of(columns)), null, "id");
    }

    public TableDependency tenantColumn(String column) {
        return new TableDependency(table, columns, column, keyColumn);
    }

    public TableDependency keyColumn(String column) {
        return new TableDependency(table, columns, tenantColumn, column);
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
