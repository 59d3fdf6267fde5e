package dev.arcana.engine;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.Graph;
import dev.arcana.api.Mutation;
import dev.arcana.api.SchemaDescription;
import dev.arcana.api.TableDependency;
import dev.arcana.engine.jdbc.CatalogReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Describes the registered views and mutations and the column types of their tables, read once from the catalog. */
final class SchemaCatalog {
    private final Registry registry;
    private final DataSource dataSource;
    private volatile SchemaDescription cached;

    SchemaCatalog(Registry registry, DataSource dataSource) {
        this.registry = registry;
        this.dataSource = dataSource;
    }

    SchemaDescription describe() {
        SchemaDescription description = cached;
        if (description == null) {
            description = new SchemaDescription(readTables(), views(), mutations());
            cached = description;
        }
        return description;
    }

    private Map<String, Map<String, SchemaDescription.Column>> readTables() {
        try {
            return CatalogReader.read(dataSource, registry.representation());
        } catch (java.sql.SQLException e) {
            throw ArcanaException.internal("could not read the database catalog", e);
        }
    }

    private Map<String, SchemaDescription.MutationSchema> mutations() {
        Map<String, SchemaDescription.MutationSchema> mutations = new TreeMap<>();
        for (Mutation mutation : registry.mutations().values()) {
            mutations.put(mutation.key(), new SchemaDescription.MutationSchema(mutation.params().params(),
                    mutation.requiredRoles(), mutation.requiredPermissions()));
        }
        return mutations;
    }

    /** {@code param:<name>}, {@code workspace} or {@code user}. */
    static String describe(dev.arcana.api.ColumnMatch.Source source) {
        if (source instanceof dev.arcana.api.ColumnMatch.ParamValue param) {
            return "param:" + param.name();
        }
        return source instanceof dev.arcana.api.ColumnMatch.WorkspaceValue ? "workspace" : "user";
    }

    private Map<String, SchemaDescription.View> views() {
        Map<String, SchemaDescription.View> views = new TreeMap<>();
        for (Graph graph : registry.graphs().values()) {
            Map<String, List<String>> deps = new LinkedHashMap<>();
            Map<String, Map<String, String>> matches = new LinkedHashMap<>();
            for (TableDependency dependency : graph.dependencies()) {
                deps.put(dependency.table(), new ArrayList<>(dependency.columns()));
                if (!dependency.matches().isEmpty()) {
                    Map<String, String> byColumn = new LinkedHashMap<>();
                    dependency.matches().forEach(match -> byColumn.put(match.column(), describe(match.source())));
                    matches.put(dependency.table(), byColumn);
                }
            }
            views.put(graph.key(), new SchemaDescription.View(graph.params().params(), deps,
                    graph.requiredRoles(), graph.requiredPermissions(), matches));
        }
        return views;
    }
}
