package dev.arcana.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /schema} reports: every table and column some graph depends on, with its
 * PostgreSQL type, every view's params and dependencies, and every mutation's params.
 */
public record SchemaDescription(Map<String, Map<String, Column>> tables, Map<String, View> views,
                                Map<String, MutationSchema> mutations) {

    public SchemaDescription {
        mutations = mutations == null ? Map.of() : mutations;
    }

    public SchemaDescription(Map<String, Map<String, Column>> tables, Map<String, View> views) {
        this(tables, views, Map.of());
    }

    /** A mutation: its (strict) params and what a caller needs (empty sets: nothing). */
    public record MutationSchema(Map<String, Param> params, Set<String> requiredRoles,
                                 Set<String> requiredPermissions) {
    }

    /** A column's PostgreSQL type name (e.g. {@code uuid}, {@code text}, {@code int4}) and nullability. */
    public record Column(String type, boolean nullable) {
    }

    /**
     * A view: its params, dependencies, what a subscriber needs (empty sets: nothing), and per table
     * the columns it promises to match ({@link ColumnMatch}: column → {@code param:<name>},
     * {@code workspace} or {@code user}).
     */
    public record View(Map<String, Param> params, Map<String, List<String>> deps, Set<String> requiredRoles,
                       Set<String> requiredPermissions, Map<String, Map<String, String>> matches) {

        public View {
            requiredRoles = requiredRoles == null ? Set.of() : requiredRoles;
            requiredPermissions = requiredPermissions == null ? Set.of() : requiredPermissions;
            matches = matches == null ? Map.of() : matches;
        }

        public View(Map<String, Param> params, Map<String, List<String>> deps, Set<String> requiredRoles,
                    Set<String> requiredPermissions) {
            this(params, deps, requiredRoles, requiredPermissions, Map.of());
        }

        public View(Map<String, Param> params, Map<String, List<String>> deps) {
            this(params, deps, Set.of(), Set.of());
        }
    }
}
