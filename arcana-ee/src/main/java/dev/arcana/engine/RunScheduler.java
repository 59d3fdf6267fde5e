package dev.arcana.engine;

/**
 * Decides when a query instance's factory runs after changes: {@link Coalescer} for the shared
 * strategy, {@link EveryRequestRunner} for the naive baseline. Implementations never run two
 * runs of one instance at once, so results apply in the order they were computed.
 */
interface RunScheduler {

    /** Asks for a run; returns at once. */
    void request();

    /** No further runs; a run in progress completes. */
    void cancel();

    /** No run in progress, scheduled or pending. */
    boolean isIdle();
}
