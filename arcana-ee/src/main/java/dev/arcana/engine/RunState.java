package dev.arcana.engine;

/** Where a query instance's runs stand (its {@link RunScheduler}'s state, shown by DevTools). */
public enum RunState {
    /** Nothing runs or waits. */
    IDLE,
    /** A run is due: queued for a run thread, or waiting for the instance's pace. */
    SCHEDULED,
    /** A run is in progress. */
    RUNNING,
    /** A run is in progress and changes came meanwhile: one more run follows. */
    RUNNING_AGAIN,
    /** The instance is retired: no more runs. */
    CANCELLED
}
