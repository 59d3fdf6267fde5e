package dev.arcana.engine;

import dev.arcana.api.Change;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.api.spi.ChangeSink;
import dev.arcana.api.spi.DetectorStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Changes reported by the application ({@code notify}), buffered in a bounded queue and handed
 * to the sink on the executor, so that callers never wait for the engine. On overflow nothing is
 * lost: the change's table is invalidated as a whole instead (and, past a bound on such tables,
 * everything is).
 */
final class ExplicitNotifier implements ChangeDetector {
    private static final System.Logger LOG = System.getLogger(ExplicitNotifier.class.getName());
    private static final int DRAIN_BATCH = 512;
    private static final int MAX_OVERFLOW_TABLES = 1024;

    private final ArrayBlockingQueue<Change> queue;
    private final Executor executor;
    private final Set<String> overflowTables = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean overflowAll = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile ChangeSink sink;

    ExplicitNotifier(int capacity, Executor executor) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.executor = executor;
    }

    @Override
    public void start(ChangeSink sink) {
        this.sink = sink;
    }

    @Override
    public void stop() {
        // every pending mark goes, or drain would find work it can never hand over and reschedule forever
        sink = null;
        queue.clear();
        overflowTables.clear();
        overflowAll.set(false);
    }

    @Override
    public DetectorStatus status() {
        return new DetectorStatus("explicit", sink == null ? "down" : "up", queue.size(), "queued notifications");
    }

    boolean isDrained() {
        return queue.isEmpty() && !draining.get() && overflowTables.isEmpty() && !overflowAll.get();
    }

    void offer(Change change) {
        if (sink == null) {
            return; // stopped (or not started): nobody would ever take it
        }
        if (!queue.offer(change)) {
            if (overflowTables.size() < MAX_OVERFLOW_TABLES) {
                overflowTables.add(change.table());
            } else {
                overflowAll.set(true);
            }
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
            }
        }
    }

    private void drain() {
        try {
            ChangeSink target = sink;
            List<Change> batch = new ArrayList<>(DRAIN_BATCH);
            while (queue.drainTo(batch, DRAIN_BATCH) > 0) {
                if (target != null) {
                    target.accept(batch);
                }
                batch.clear();
            }
            flushOverflow(target);
        } finally {
            draining.set(false);
        }
        if (!queue.isEmpty() || !overflowTables.isEmpty() || overflowAll.get()) {
            scheduleDrain();
        }
    }

    private void flushOverflow(ChangeSink target) {
        if (target == null) {
            overflowAll.set(false);
            overflowTables.clear();
            return;
        }
        if (overflowAll.getAndSet(false)) {
            overflowTables.clear();
            LOG.log(System.Logger.Level.WARNING, "ARCANA-NOTIFY: queue overflowed on many tables; re-running everything");
            target.invalidateAll("notify_overflow");
            return;
        }
        for (String table : List.copyOf(overflowTables)) {
            overflowTables.remove(table);
            LOG.log(System.Logger.Level.WARNING, "ARCANA-NOTIFY: queue overflowed; invalidating table {0} as a whole", table);
            target.accept(List.of(Change.tableWide(table)));
        }
    }
}
