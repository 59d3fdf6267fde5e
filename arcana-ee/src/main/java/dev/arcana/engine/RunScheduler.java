package dev.arcana.engine;

/**
 * Decides when a query instance's factory runs after changes: {@link Coalescer} for the shared
 * strategy, {@link EveryRequestRunner} for the naive baseline. Implementations never run two
 * runs of one instance at once, so results apply in the order they were computed.
 */
interface RunScheduler {

    /** Asks for a run; returns at once. */
    void request();

    /**
     * Runs the task now, on the calling thread, if nothing runs, is scheduled or queued; returns
     * whether it ran. A subscribe uses it for a new instance's first run, so that a waiting
     * request thread never depends on a free pool thread (on a small container pool, a few
     * subscribes at once would otherwise each hold a thread while their runs wait for one).
     */
    boolean runHereIfIdle();

    /** No further runs; a run in progress completes. */
    void cancel();

    /** No run in progress, scheduled or pending. */
    boolean isIdle();

    /** Where the runs stand now. */
    RunState state();
}
