package dev.arcana.ee.cdi;

import dev.arcana.api.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a deployment's graph definitions as a whole: each graph's own problems and keys defined
 * more than once. Pure and container-free, so the CDI extension only collects and reports.
 */
public final class GraphValidator {

    /**
     * A graph and where it was defined, e.g. {@code com.acme.Graphs#userList()} (producer method),
     * {@code com.acme.Graphs#tasks} (producer field) or a bean class name.
     *
     * @param graph null when the definition produced no graph
     */
    public record Definition(String name, Graph graph) {
        public Definition {
            Objects.requireNonNull(name, "name");
        }
    }

    private GraphValidator() {
    }

    /** Every problem of every definition, in definition order; empty when all can be registered. */
    public static List<String> problems(List<Definition> definitions) {
        List<String> problems = new ArrayList<>();
        Duplicates duplicates = new Duplicates("graph");
        for (Definition definition : definitions) {
            Graph graph = definition.graph();
            if (graph == null) {
                problems.add(definition.name() + ": produced null instead of a Graph");
                continue;
            }
            for (String problem : graph.problems()) {
                problems.add(definition.name() + ": " + problem);
            }
            duplicates.add(graph.key(), definition.name());
        }
        problems.addAll(duplicates.problems());
        return problems;
    }
}
