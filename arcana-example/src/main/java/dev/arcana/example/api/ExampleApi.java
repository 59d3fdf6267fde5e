package dev.arcana.example.api;

import dev.arcana.ee.rest.UnexpectedErrorMapper;
import dev.arcana.ee.rest.WebApplicationExceptionMapper;
import dev.arcana.example.tasks.TaskResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The example's own HTTP API under {@code /api}. Its classes are listed explicitly so that the
 * scan does not also expose Arcana's resources (mounted by Arcana at {@code /arcana}) here.
 */
@ApplicationPath("/api")
public class ExampleApi extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        // Arcana's mappers answer unknown paths, wrong methods and media types in the JSON envelope
        return Set.of(PingResource.class, TaskResource.class,
                WebApplicationExceptionMapper.class, UnexpectedErrorMapper.class);
    }
}
