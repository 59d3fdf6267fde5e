package dev.arcana.engine;

import dev.arcana.api.Graph;
import dev.arcana.api.Mutation;
import dev.arcana.api.TableDependency;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered graphs and mutations, the inverted index table → (graph, dependency) used to route changes,
 * and the representation table (every table with the union of the columns graphs read).
 */
public final class Registry {

    /** A graph's dependency on one table. */
    public record Dependent(Graph graph, TableDependency dependency) {
    }

    private final Map<String, Graph> graphs = new ConcurrentHashMap<>();
    private final Map<String, List<Dependent>> dependentsByTable = new ConcurrentHashMap<>();
    private final Map<String, Mutation> mutations = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException listing every problem of the graph, or a duplicate key */
    public synchronized void register(Graph graph) {
        List<String> problems = new ArrayList<>(graph.problems());
        if (graph.key() != null && graphs.containsKey(graph.key())) {
            problems.add("graph '" + graph.key() + "' is already registered");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        graphs.put(graph.key(), graph);
        for (TableDependency dependency : graph.dependencies()) {
            dependentsByTable.merge(dependency.table(), List.of(new Dependent(graph, dependency)), (a, b) -> {
                List<Dependent> merged = new ArrayList<>(a);
                merged.addAll(b);
                return List.copyOf(merged);
            });
        }
    }

    /** @throws IllegalArgumentException listing every problem of the mutation, or a duplicate key */
    public synchronized void register(Mutation mutation) {
        List<String> problems = new ArrayList<>(mutation.problems());
        if (mutation.key() != null && mutations.containsKey(mutation.key())) {
            problems.add("mutation '" + mutation.key() + "' is already registered");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        mutations.put(mutation.key(), mutation);
    }

    public Mutation mutation(String key) {
        return key == null ? null : mutations.get(key);
    }

    public Map<String, Mutation> mutations() {
        return Collections.unmodifiableMap(mutations);
    }

    public Graph graph(String key) {
        return key == null ? null : graphs.get(key);
    }

    public int size() {
        return graphs.size();
    }

    public Map<String, Graph> graphs() {
        return Collections.unmodifiableMap(graphs);
    }

    /** The graphs reading {@code table}; empty when none does. */
    public List<Dependent> dependentsOf(String table) {
        return dependentsByTable.getOrDefault(table, List.of());
    }

    /** Table → union of the columns graphs depend on, sorted by table. */
    public Map<String, Set<String>> representation() {
        Map<String, Set<String>> tables = new java.util.TreeMap<>();
        dependentsByTable.forEach((table, dependents) -> {
            Set<String> columns = new LinkedHashSet<>();
            dependents.forEach(d -> columns.addAll(d.dependency().columns()));
            tables.put(table, Collections.unmodifiableSet(columns));
        });
        return Collections.unmodifiableMap(tables);
    }

    /**
     * Table → its declared dependency details (tenant and key column, and the columns some graph
     * matches on: their new values travel with each change), for change detectors.
     */
    public Map<String, TableDependency> tableDependencies() {
        Map<String, TableDependency> tables = new LinkedHashMap<>();
        representation().forEach((table, columns) -> {
            TableDependency first = dependentsByTable.get(table).get(0).dependency();
            Map<String, dev.arcana.api.ColumnMatch> matched = new LinkedHashMap<>();
            for (Dependent dependent : dependentsByTable.get(table)) {
                dependent.dependency().matches().forEach(match -> matched.putIfAbsent(match.column(), match));
            }
            tables.put(table, new TableDependency(table, columns, first.tenantColumn(), first.keyColumn(),
                    List.copyOf(matched.values())));
        });
        return tables;
    }
}
