package dev.arcana.engine;

import java.util.Locale;

/** How the engine turns changes into factory runs. */
public enum Strategy {
    /**
     * Subscribers with equal instance keys share one query instance; changes within the debounce
     * window coalesce into one run (the engine's design).
     */
    SHARED,
    /**
     * The baseline the benchmarks compare against (the original engine's behaviour): every
     * subscription gets its own query instance, re-run once per change, at once, without
     * coalescing. For measurements only.
     */
    NAIVE,
    /**
     * {@link #SHARED} without routing by value: a change re-runs every instance of a graph that
     * reads the table, ignoring the graphs' {@link dev.arcana.api.ColumnMatch} promises — the
     * baseline of the predicate index's benchmark, and a way to rule out a wrong promise while
     * debugging.
     */
    UNINDEXED;

    /** Whether changes reach only the instances whose {@link dev.arcana.api.ColumnMatch} values match. */
    public boolean routesByValue() {
        return this == SHARED;
    }

    /** The lower-case name used in configuration ({@code arcana.strategy}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Strategy fromConfigName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
