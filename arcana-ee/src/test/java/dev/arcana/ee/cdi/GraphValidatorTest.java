package dev.arcana.ee.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Graph;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import dev.arcana.ee.cdi.GraphValidator.Definition;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphValidatorTest {

    @Test
    void validDefinitionsHaveNoProblems() {
        assertThat(GraphValidator.problems(List.of(
                new Definition("com.acme.Graphs#users()", graph("user_list")),
                new Definition("com.acme.Graphs#tasks", graph("task_list"))))).isEmpty();
    }

    @Test
    void aDuplicateKeyNamesBothDefinitions() {
        assertThat(GraphValidator.problems(List.of(
                new Definition("com.acme.Graphs#tasks()", graph("task_list")),
                new Definition("com.acme.Users#users", graph("user_list")),
                new Definition("com.acme.Legacy#oldTasks", graph("task_list")))))
                .containsExactly("graph key 'task_list' is defined twice: "
                        + "by com.acme.Graphs#tasks() and by com.acme.Legacy#oldTasks");
    }

    @Test
    void aKeyDefinedThreeTimesNamesAllThree() {
        assertThat(GraphValidator.problems(List.of(
                new Definition("A#a()", graph("g")), new Definition("B#b()", graph("g")), new Definition("C", graph("g")))))
                .containsExactly("graph key 'g' is defined 3 times: by A#a() and by B#b() and by C");
    }

    @Test
    void everyProblemOfEveryDefinitionIsListedWithItsDefinition() {
        Graph noColumns = Graph.builder("broken")
                .param("limit", Param.integer().defaultValue("ten"))
                .dependsOn(TableDependency.of("tasks"))
                .factory(ctx -> new Result())
                .build();
        Graph noKey = Graph.builder("").dependsOn(TableDependency.of("users", "id")).factory(ctx -> new Result()).build();

        List<String> problems = GraphValidator.problems(List.of(
                new Definition("com.acme.Graphs#broken()", noColumns),
                new Definition("com.acme.Graphs#anonymous", noKey),
                new Definition("com.acme.Graphs#nothing()", null)));

        assertThat(problems).containsExactly(
                "com.acme.Graphs#broken(): " + noColumns.problems().get(0),
                "com.acme.Graphs#broken(): graph 'broken': dependency on 'tasks' lists no columns",
                "com.acme.Graphs#anonymous: a graph has an empty key",
                "com.acme.Graphs#nothing(): produced null instead of a Graph");
        assertThat(noColumns.problems()).hasSize(2);
    }

    @Test
    void emptyKeysAreNotReportedAsDuplicates() {
        Graph first = Graph.builder("").dependsOn(TableDependency.of("t", "id")).factory(ctx -> new Result()).build();
        Graph second = Graph.builder("").dependsOn(TableDependency.of("t", "id")).factory(ctx -> new Result()).build();

        assertThat(GraphValidator.problems(List.of(new Definition("A", first), new Definition("B", second))))
                .containsExactly("A: a graph has an empty key", "B: a graph has an empty key");
    }

    private static Graph graph(String key) {
        return Graph.builder(key)
                .dependsOn(TableDependency.of("tasks", "id", "title"))
                .factory(ctx -> new Result())
                .build();
    }
}
