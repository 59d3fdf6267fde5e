package dev.arcana.it.duplicate;

import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Half of a deliberately broken deployment: declares graph "twice". */
@ApplicationScoped
public class FirstTaskGraphs {
    @Produces
    @GraphDefinition
    Graph twice() {
        return Graph.builder("twice").dependsOn(TableDependency.of("tasks", "id")).factory(ctx -> new Result()).build();
    }
}
