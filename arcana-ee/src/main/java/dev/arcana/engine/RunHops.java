package dev.arcana.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time of a change goes inside the engine, per re-run of a query instance: from the
 * moment a change made the instance dirty to the start of its run ({@code waited}: the pace, a free
 * run thread), the factory run itself ({@code run}), the diff against the store and the hand-over
 * of the pushes to the transport ({@code pushed}), and all of it ({@code total}). The transport's
 * own queue and the socket write come after. First loads are not counted (nothing waited for them).
 */
final class RunHops {
    private final LatencyHistogram waited = new LatencyHistogram();
    private final LatencyHistogram run = new LatencyHistogram();
    private final LatencyHistogram pushed = new LatencyHistogram();
    private final LatencyHistogram total = new LatencyHistogram();

    /** One re-run: dirty since, run started, result ready, pushes handed over ({@link System#nanoTime}). */
    void record(long dirtySince, long started, long ready, long handedOver) {
        waited.record(started - dirtySince);
        run.record(ready - started);
        pushed.record(handedOver - ready);
        total.record(handedOver - dirtySince);
    }

    /** The hops by name, in order: the live histograms. */
    Map<String, LatencyHistogram> histograms() {
        Map<String, LatencyHistogram> hops = new LinkedHashMap<>();
        hops.put("waited", waited);
        hops.put("run", run);
        hops.put("pushed", pushed);
        hops.put("total", total);
        return hops;
    }
}
