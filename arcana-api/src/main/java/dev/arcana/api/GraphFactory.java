package dev.arcana.api;

/**
 * Runs a graph's query for one query instance and returns its rows and refs. It may be called
 * concurrently for different instances, never concurrently for the same one. Throw
 * {@link ForbiddenException} to refuse the caller; any other exception is logged and counted,
 * and the instance keeps its previous state.
 */
@FunctionalInterface
public interface GraphFactory {
    Result build(GraphContext context) throws Exception;
}
