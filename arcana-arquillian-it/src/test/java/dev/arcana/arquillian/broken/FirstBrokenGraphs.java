package dev.arcana.arquillian.broken;

import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Graphs of the deliberately broken deployment: the key {@value #DUPLICATE_KEY} (also defined by
 * {@link SecondBrokenGraphs}) and a graph whose param bounds contradict each other and that declares
 * no table dependency.
 */
@ApplicationScoped
public class FirstBrokenGraphs {
    public static final String DUPLICATE_KEY = "arq_defined_twice";
    public static final String BAD_KEY = "arq_bad_params";

    @Produces
    @GraphDefinition
    Graph first() {
        return Graph.builder(DUPLICATE_KEY)
                .dependsOn(TableDependency.of("items", "id"))
                .factory(ctx -> new Result())
                .build();
    }

    @Produces
    @GraphDefinition
    Graph badParams() {
        return Graph.builder(BAD_KEY)
                .param("limit", Param.integer().min(10).max(1))
                .factory(ctx -> new Result())
                .build();
    }
}
