package dev.arcana.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GraphTest {

    private static final GraphFactory FACTORY = context -> {
        throw new UnsupportedOperationException("not run in these tests");
    };

    /** A graph with nothing wrong, for each test to spoil one thing of. */
    private static Graph.Builder sound(String key) {
        return Graph.builder(key)
                .param("org_id", Param.uuid().required())
                .param("limit", Param.integer().defaultValue(50))
                .param("role", Param.string().oneOf("admin", "member").defaultValue("member"))
                .dependsOn(TableDependency.of("users", "name", "org_id").tenantColumn("org_id"))
                .dependsOn(TableDependency.of("orgs", "title"))
                .factory(FACTORY);
    }

    @Test
    void soundGraphHasNoProblems() {
        Graph graph = sound("user_list").build();
        assertThat(graph.problems()).isEmpty();
        assertThat(graph.key()).isEqualTo("user_list");
        assertThat(graph.params().params()).containsOnlyKeys("org_id", "limit", "role");
        assertThat(graph.dependencies()).extracting(TableDependency::table).containsExactly("users", "orgs");
        assertThat(graph.sharing()).isEqualTo(Sharing.IDENTITY);
        assertThat(graph.factory()).isSameAs(FACTORY);
    }

    @Test
    void keysMayUseLettersDigitsAndSeparators() {
        assertThat(sound("a.b:c-d_9").build().problems()).isEmpty();
        assertThat(sound("k".repeat(128)).build().problems()).isEmpty();
    }

    @Test
    void emptyKey() {
        assertThat(sound("").build().problems()).containsExactly("a graph has an empty key");
        assertThat(sound("  ").build().problems()).containsExactly("a graph has an empty key");
        assertThat(sound(null).build().problems()).containsExactly("a graph has an empty key");
    }

    @Test
    void emptyKeyNamesTheGraphThatWayInOtherProblems() {
        assertThat(Graph.builder("").factory(FACTORY).build().problems()).containsExactly(
                "a graph has an empty key",
                "graph with an empty key: declares no table dependencies, so no change would ever refresh it");
    }

    @Test
    void keyWithForbiddenCharactersOrTooLong() {
        String message = ": key may only use letters, digits and _ . : - (at most 128)";
        assertThat(sound("user list").build().problems()).containsExactly("graph 'user list'" + message);
        assertThat(sound("a/b").build().problems()).containsExactly("graph 'a/b'" + message);
        String tooLong = "k".repeat(129);
        assertThat(sound(tooLong).build().problems()).containsExactly("graph '" + tooLong + "'" + message);
    }

    @Test
    void defaultOfTheWrongType() {
        Graph graph = sound("g").param("limit", Param.integer().defaultValue("fifty")).build();
        assertThat(graph.problems())
                .containsExactly("graph 'g': default of param 'limit' must be an int, got string \"fifty\"");
    }

    @Test
    void nonIntegralDefaultForInt() {
        Graph graph = sound("g").param("limit", Param.integer().defaultValue(2.5)).build();
        assertThat(graph.problems())
                .containsExactly("graph 'g': default of param 'limit' must be an integral number, got 2.5");
    }

    @Test
    void defaultOutsideOneOf() {
        Graph graph = sound("g").param("role", Param.string().oneOf("admin", "member").defaultValue("owner")).build();
        assertThat(graph.problems())
                .containsExactly("graph 'g': default of param 'role' must be one of [admin, member], got \"owner\"");
    }

    @Test
    void badUuidDefault() {
        Graph graph = sound("g").param("org_id", Param.uuid().defaultValue("nope")).build();
        assertThat(graph.problems())
                .containsExactly("graph 'g': default of param 'org_id' must be a UUID, got \"nope\"");
    }

    @Test
    void requiredWithDefault() {
        Graph graph = sound("g")
                .param("org_id", Param.uuid().required().defaultValue("550e8400-e29b-41d4-a716-446655440000"))
                .build();
        assertThat(graph.problems()).containsExactly("graph 'g': param 'org_id': a required param cannot have a default");
    }

    @Test
    void oneOfOnInt() {
        Graph graph = sound("g").param("limit", Param.integer().oneOf("1", "2")).build();
        assertThat(graph.problems()).containsExactly("graph 'g': param 'limit': oneOf is only allowed on string params");
    }

    @Test
    void emptyParamName() {
        Graph graph = sound("g").param("", Param.string()).build();
        assertThat(graph.problems()).containsExactly("graph 'g': a param has an empty name");
    }

    @Test
    void noDependencies() {
        Graph graph = Graph.builder("g").factory(FACTORY).build();
        assertThat(graph.problems())
                .containsExactly("graph 'g': declares no table dependencies, so no change would ever refresh it");
    }

    @Test
    void dependencyWithoutColumns() {
        Graph graph = sound("g").dependsOn(TableDependency.of("teams")).build();
        assertThat(graph.problems()).containsExactly("graph 'g': dependency on 'teams' lists no columns");
    }

    @Test
    void dependencyWithEmptyTableName() {
        Graph graph = sound("g").dependsOn(TableDependency.of(" ", "a")).build();
        assertThat(graph.problems()).containsExactly("graph 'g': a dependency has an empty table name");
    }

    @Test
    void duplicateTable() {
        Graph graph = sound("g").dependsOn(TableDependency.of("users", "email")).build();
        assertThat(graph.problems()).containsExactly("graph 'g': table 'users' is declared twice");
    }

    @Test
    void missingFactory() {
        Graph graph = sound("g").factory(null).build();
        assertThat(graph.problems()).containsExactly("graph 'g': has no factory");
    }

    @Test
    void everyProblemIsListedInOrder() {
        Graph graph = Graph.builder("g")
                .param("limit", Param.integer().required().defaultValue("x"))
                .dependsOn(TableDependency.of("users"))
                .dependsOn(TableDependency.of("users", "name"))
                .build();
        assertThat(graph.problems()).containsExactly(
                "graph 'g': param 'limit': a required param cannot have a default",
                "graph 'g': default of param 'limit' must be an int, got string \"x\"",
                "graph 'g': dependency on 'users' lists no columns",
                "graph 'g': table 'users' is declared twice",
                "graph 'g': has no factory");
    }

    @Test
    void builderRejectsNullParts() {
        Graph.Builder builder = Graph.builder("g");
        assertThatThrownBy(() -> builder.param("a", null)).isInstanceOf(NullPointerException.class).hasMessage("spec");
        assertThatThrownBy(() -> builder.dependsOn(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("dependency");
        assertThatThrownBy(() -> builder.sharing(null)).isInstanceOf(NullPointerException.class).hasMessage("sharing");
    }

    @Test
    void laterParamWithTheSameNameReplacesTheEarlier() {
        Graph graph = sound("g").param("limit", Param.integer().defaultValue(10)).build();
        assertThat(graph.params().params().get("limit").defaultValue()).isEqualTo(10);
        assertThat(graph.params().params().keySet()).containsExactly("org_id", "limit", "role");
    }
}
