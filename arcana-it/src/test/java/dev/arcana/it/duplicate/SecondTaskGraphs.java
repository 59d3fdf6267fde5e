package dev.arcana.it.duplicate;

import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The other half of the broken deployment: declares graph "twice" again. */
@ApplicationScoped
public class SecondTaskGraphs {
    @Produces
    @GraphDefinition
    Graph again() {
        return Graph.builder("twice").dependsOn(TableDependency.of("users", "id")).factory(ctx -> new Result()).build();
    }
}
