package dev.arcana.arquillian.broken;

import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The second definition of {@link FirstBrokenGraphs#DUPLICATE_KEY}. */
@ApplicationScoped
public class SecondBrokenGraphs {

    @Produces
    @GraphDefinition
    Graph second() {
        return Graph.builder(FirstBrokenGraphs.DUPLICATE_KEY)
                .dependsOn(TableDependency.of("items", "id"))
                .factory(ctx -> new Result())
                .build();
    }
}
