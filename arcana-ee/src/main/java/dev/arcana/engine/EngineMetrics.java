package dev.arcana.engine;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Counters the engine exposes through its stats. */
final class EngineMetrics {
    final LongAdder factoryRuns = new LongAdder();
    final LongAdder factoryErrors = new LongAdder();
    final LongAdder changes = new LongAdder();
    final LongAdder changesIgnored = new LongAdder();
    /** Detector-reported changes not re-run because a mutation's commit had applied them already. */
    final LongAdder changesCovered = new LongAdder();
    /** The high-water mark of factory runs in progress at once. */
    final LongAccumulator maxRunsInFlight = new LongAccumulator(Math::max, 0);
    final RunHops hops = new RunHops();
}
