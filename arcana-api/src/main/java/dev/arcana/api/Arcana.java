package dev.arcana.api;

import java.util.List;
import java.util.Map;

/**
 * The engine. Graphs are registered before {@link #start()}; every other call needs a running
 * engine and throws {@link NotStartedException} otherwise. Thread-safe.
 */
public interface Arcana {

    /** Registers a graph; fails with {@link IllegalArgumentException} listing its problems. */
    void register(Graph graph);

    /** Registers a mutation before {@link #start()}; fails with {@link IllegalArgumentException} listing its problems. */
    void register(Mutation mutation);

    void start();

    /** Stops the engine; subscriptions are dropped and the transport is told to disconnect clients. */
    void stop();

    boolean isRunning();

    /**
     * Subscribes the identity's seance to a view (params validated non-strict). Subscribing again
     * to the same view and params answers a fresh snapshot of the existing subscription. The seance
     * is created for the identity when it does not exist; a seance of another identity (another
     * user, workspace or binding) is refused with {@link ForbiddenException}, here and in every
     * call that names a seance.
     */
    Snapshot subscribe(Identity identity, String view, Map<String, ?> params);

    /** @throws NotFoundException when the seance holds no such subscription */
    void unsubscribe(Identity identity, String view, String paramsHash);

    /**
     * Runs the mutation {@code action} for the identity's seance: checks roles and permissions,
     * resolves the params strictly, runs the handler in one transaction and, after commit, re-runs
     * the views it affected before returning. A {@code mutationId} (optional) the seance already
     * used is not run again: the first outcome is returned ({@link MutationOutcome#replayed()}), or
     * its error thrown again.
     *
     * @throws NotFoundException      no such action (or the handler's own)
     * @throws ForbiddenException     a role or permission is missing, or the seance is another identity's
     * @throws InvalidParamsException a param is missing, unknown or invalid
     * @throws MutationRejectedException the handler refused it (409 {@code conflict})
     * @throws ArcanaException        {@code bad_request} for a reused id, {@code too_many_requests},
     *                                {@code internal} when the handler or the commit failed
     */
    MutationOutcome mutate(Identity identity, String action, Map<String, ?> params, String mutationId);

    /** Answers one entry per requested view, in request order. */
    List<SyncEntry> sync(Identity identity, List<SyncRequest> views);

    List<ActiveSubscription> active(Identity identity);

    /**
     * Binds the identity's seance to it before a transport serves it (a WebSocket connection, a
     * Centrifugo token): creates it, within the identity's seance quota, or checks that it is the
     * identity's. A claimed seance lives, empty or not, until {@link #releaseSeance} (or the idle
     * sweep, when no transport holds it). Every other call checks ownership the same way.
     *
     * @throws ForbiddenException when the seance belongs to another identity
     * @throws ArcanaException    {@code too_many_seances} when the identity holds its maximum
     */
    void claimSeance(Identity identity);

    /** Drops every subscription of a seance (e.g. when its last connection is gone for good). */
    void releaseSeance(String seanceId);

    SchemaDescription schema();

    EngineStats stats();

    /** Reports a change made by the application (explicit mode; works next to any detector). */
    void notify(Change change);

    /** Reports an UPDATE of {@code columns} (none: all) of one row, in every workspace. */
    default void notifyTable(String table, String id, String... columns) {
        notify(new Change(table, id, ChangeOp.UPDATE, java.util.Set.of(columns), null));
    }
}
