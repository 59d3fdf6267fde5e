package dev.arcana.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named, parameterised query: its key, param schema, the tables (and columns) it depends
 * on, how subscribers share its instances, the roles or permissions a subscriber needs, and the
 * factory that runs it. Build with
 * {@link #builder(String)}; {@link #problems()} lists what is wrong with a definition.
 */
public final class Graph {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final String key;
    private final ParamSchema params;
    private final List<TableDependency> dependencies;
    private final Sharing sharing;
    private final GraphFactory factory;
    private final Access access;

    private Graph(Builder builder) {
        this.key = builder.key;
        this.params = ParamSchema.of(builder.params);
        this.dependencies = List.copyOf(builder.dependencies);
        this.sharing = builder.sharing;
        this.factory = builder.factory;
        this.access = builder.access.build();
    }

    public static Builder builder(String key) {
        return new Builder(key);
    }

    public String key() {
        return key;
    }

    public ParamSchema params() {
        return params;
    }

    public List<TableDependency> dependencies() {
        return dependencies;
    }

    public Sharing sharing() {
        return sharing;
    }

    public GraphFactory factory() {
        return factory;
    }

    /** Roles of which the subscriber must have one ({@link Identity#role()}); empty for any role. */
    public Set<String> requiredRoles() {
        return access.roles();
    }

    /** Permissions the subscriber must all have ({@link Identity#permissions()}). */
    public Set<String> requiredPermissions() {
        return access.permissions();
    }

    /**
     * Refuses an identity this graph does not admit, before any factory runs.
     *
     * @throws ForbiddenException (403) when the identity lacks a required role or permission
     */
    public void authorize(Identity identity) {
        access.authorize(identity, "view '" + key + "'");
    }

    /** Everything wrong with this definition; empty when it can be registered. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String where = key == null || key.isBlank() ? "graph with an empty key" : "graph '" + key + "'";
        if (key == null || key.isBlank()) {
            problems.add("a graph has an empty key");
        } else if (!KEY.matcher(key).matches()) {
            problems.add(where + ": key may only use letters, digits and _ . : - (at most 128)");
        }
        params.problems().forEach(p -> problems.add(where + ": " + p));
        if (dependencies.isEmpty()) {
            problems.add(where + ": declares no table dependencies, so no change would ever refresh it");
        }
        Set<String> tables = new HashSet<>();
        for (TableDependency dependency : dependencies) {
            if (dependency.table().isBlank()) {
                problems.add(where + ": a dependency has an empty table name");
            } else if (!tables.add(dependency.table())) {
                problems.add(where + ": table '" + dependency.table() + "' is declared twice");
            }
            if (dependency.columns().isEmpty()) {
                problems.add(where + ": dependency on '" + dependency.table() + "' lists no columns");
            }
            for (ColumnMatch match : dependency.matches()) {
                matchProblem(dependency, match).ifPresent(problem -> problems.add(where + ": where(\"" + match.column()
                        + "\") on '" + dependency.table() + "' " + problem));
            }
        }
        if (access.hasBlank()) {
            problems.add(where + ": a required role or permission is blank");
        }
        if (factory == null) {
            problems.add(where + ": has no factory");
        }
        return problems;
    }

    private java.util.Optional<String> matchProblem(TableDependency dependency, ColumnMatch match) {
        if (!dependency.columns().contains(match.column())) {
            return java.util.Optional.of("names a column the dependency does not track (list it in its columns)");
        }
        if (match.source() instanceof ColumnMatch.ParamValue param) {
            Param declared = params.params().get(param.name());
            if (declared == null) {
                return java.util.Optional.of("names param '" + param.name() + "', which the graph does not declare");
            }
            if (declared.type() == ParamType.FLOAT) {
                return java.util.Optional.of("names float param '" + param.name()
                        + "': floating-point values do not compare as text");
            }
        }
        if (match.source() instanceof ColumnMatch.UserValue && sharing != Sharing.IDENTITY) {
            return java.util.Optional.of("matches the user, but the graph shares instances across users (Sharing.IDENTITY)");
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return "Graph[" + key + "]";
    }

    /** Fluent builder; {@link #build()} checks only for nulls, {@link Graph#problems()} for the rest. */
    public static final class Builder {
        private final String key;
        private final Map<String, Param> params = new LinkedHashMap<>();
        private final List<TableDependency> dependencies = new ArrayList<>();
        private Sharing sharing = Sharing.IDENTITY;
        private GraphFactory factory;
        private final Access.Builder access = new Access.Builder();

        private Builder(String key) {
            this.key = key;
        }

        public Builder param(String name, Param spec) {
            params.put(name, Objects.requireNonNull(spec, "spec"));
            return this;
        }

        public Builder dependsOn(TableDependency dependency) {
            dependencies.add(Objects.requireNonNull(dependency, "dependency"));
            return this;
        }

        public Builder sharing(Sharing sharing) {
            this.sharing = Objects.requireNonNull(sharing, "sharing");
            return this;
        }

        /** Admits only subscribers with one of these roles (calls add up: any listed role will do). */
        public Builder requiresRole(String... roles) {
            access.roles(roles);
            return this;
        }

        /** Admits only subscribers holding every one of these permissions (calls add up). */
        public Builder requiresPermission(String... permissions) {
            access.permissions(permissions);
            return this;
        }

        public Builder factory(GraphFactory factory) {
            this.factory = factory;
            return this;
        }

        public Graph build() {
            return new Graph(this);
        }
    }
}
