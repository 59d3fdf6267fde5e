package dev.arcana.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /schema} reports: every table and column some graph depends on, with its
 * PostgreSQL type, and every view's params and dependencies.
 */
public record SchemaDescription(Map<String, Map<String, Column>> tables, Map<String, View> views) {

    /** A column's PostgreSQL type name (e.g. {@code uuid}, {@code text}, {@code int4}) and nullability. */
    public record Column(String type, boolean nullable) {
    }

    /** A view: its params, dependencies and what a subscriber needs (empty sets: nothing). */
    public record View(Map<String, Param> params, Map<String, List<String>> deps, Set<String> requiredRoles,
                       Set<String> requiredPermissions) {

        public View {
            requiredRoles = requiredRoles == null ? Set.of() : requiredRoles;
            requiredPermissions = requiredPermissions == null ? Set.of() : requiredPermissions;
        }

        public View(Map<String, Param> params, Map<String, List<String>> deps) {
            this(params, deps, Set.of(), Set.of());
        }
    }
}
