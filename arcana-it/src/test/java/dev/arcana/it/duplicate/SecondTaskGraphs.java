package dev.arcana.it.duplicate;

import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.api.Mutation;
import dev.arcana.api.MutationDefinition;
import dev.arcana.api.MutationResult;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The other half of the broken deployment: declares graph "twice" and mutation "twice_too" again. */
@ApplicationScoped
public class SecondTaskGraphs {
    @Produces
    @GraphDefinition
    Graph again() {
        return Graph.builder("twice").dependsOn(TableDependency.of("users", "id")).factory(ctx -> new Result()).build();
    }

    @Produces
    @MutationDefinition
    Mutation againToo() {
        return Mutation.builder("twice_too").handler(context -> MutationResult.of(null)).build();
    }
}
