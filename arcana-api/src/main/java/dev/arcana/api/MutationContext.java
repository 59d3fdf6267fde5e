package dev.arcana.api;

/**
 * What a mutation's handler sees: the caller's identity, the validated params, the client's
 * mutation id and a querier bound to the mutation's transaction (its writes commit or roll back
 * with the mutation).
 */
public interface MutationContext {
    Identity identity();

    Params params();

    /** The id the client chose for this call; a retry with the same id in the same seance is not run again. */
    String mutationId();

    /** Reads and writes on the mutation's transaction. */
    MutationQuerier querier();

    default String workspaceId() {
        return identity().workspaceId();
    }

    default String userId() {
        return identity().userId();
    }
}
