package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.Graph;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import org.junit.jupiter.api.Test;

class RegistryTest {

    private static Graph graph(String key, TableDependency... deps) {
        Graph.Builder builder = Graph.builder(key).factory(ctx -> new Result());
        for (TableDependency dep : deps) {
            builder.dependsOn(dep);
        }
        return builder.build();
    }

    @Test
    void indexesGraphsByTheTablesTheyRead() {
        Registry registry = new Registry();
        registry.register(graph("a", TableDependency.of("users", "id", "name")));
        registry.register(graph("b", TableDependency.of("users", "email"), TableDependency.of("tasks", "title")));

        assertThat(registry.dependentsOf("users")).extracting(d -> d.graph().key()).containsExactly("a", "b");
        assertThat(registry.dependentsOf("tasks")).extracting(d -> d.graph().key()).containsExactly("b");
        assertThat(registry.dependentsOf("orders")).isEmpty();
    }

    @Test
    void representationIsTheUnionOfColumnsPerTable() {
        Registry registry = new Registry();
        registry.register(graph("a", TableDependency.of("users", "id", "name").tenantColumn("workspace_id")));
        registry.register(graph("b", TableDependency.of("users", "email"), TableDependency.of("tasks", "title")));

        assertThat(registry.representation()).containsOnlyKeys("tasks", "users");
        assertThat(registry.representation().get("users")).containsExactly("id", "name", "email");
        assertThat(registry.tableDependencies().get("users").tenantColumn()).isEqualTo("workspace_id");
    }

    @Test
    void duplicateKeyIsRefused() {
        Registry registry = new Registry();
        registry.register(graph("a", TableDependency.of("users", "id")));
        assertThatThrownBy(() -> registry.register(graph("a", TableDependency.of("tasks", "id"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("graph 'a' is already registered");
        assertThat(registry.dependentsOf("tasks")).isEmpty();
    }

    @Test
    void invalidGraphIsRefusedWithEveryProblem() {
        Registry registry = new Registry();
        assertThatThrownBy(() -> registry.register(Graph.builder("").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty key")
                .hasMessageContaining("no table dependencies")
                .hasMessageContaining("no factory");
        assertThat(registry.size()).isZero();
    }
}
