package dev.arcana.engine;

import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Params;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One graph evaluated for one (workspace, params, sharing key), shared by all its subscribers:
 * a change re-runs the instance once, and every subscriber gets the same diff. Mutable state is
 * guarded by the workspace lock; scheduling by its {@link RunScheduler}.
 */
final class QueryInstance {
    private final InstanceKey key;
    private final Graph graph;
    private final Params params;
    private final Identity identity;
    private final WorkspaceState workspace;
    /** Its graph matches values on some table: changes find it through the match index and the row holders. */
    private final boolean routedByValue;
    private final CompletableFuture<Void> firstLoad = new CompletableFuture<>();
    private final Set<Subscription> subscribers = new LinkedHashSet<>();
    private RunScheduler runs;
    private volatile boolean disposed;
    /** Failed runs in a row since the last good one (runs are single-flight: one writer at a time). */
    private volatile int failuresInARow;
    /** Callers waiting for the next run to start and finish (a mutation waiting for its effects); guarded by this. */
    private List<CompletableFuture<Void>> awaitingRun = new ArrayList<>();
    /** {@link System#nanoTime} when the instance became dirty after its last run started; 0 when clean. */
    private final AtomicLong dirtySince = new AtomicLong();
    /** Logged changes the next run answers (DevTools); guarded by this. */
    private List<ChangeLog.Entry> awaitingChanges = List.of();
    /** For DevTools: runs so far, the last run's duration and error (written by the single run in flight). */
    private volatile long runCount;
    private volatile double lastRunMillis = -1;
    private volatile String lastError;

    List<JsonObject> refs = List.of();
    Set<RowKey> rowKeys = Set.of();
    OptionalLong total = OptionalLong.empty();
    boolean loaded;

    QueryInstance(InstanceKey key, Graph graph, Params params, Identity identity, WorkspaceState workspace) {
        this.key = key;
        this.graph = graph;
        this.params = params;
        this.identity = identity;
        this.workspace = workspace;
        this.routedByValue = graph.dependencies().stream().anyMatch(dependency -> !dependency.matches().isEmpty());
    }

    void attachRunScheduler(RunScheduler scheduler) {
        this.runs = scheduler;
    }

    InstanceKey key() {
        return key;
    }

    Graph graph() {
        return graph;
    }

    boolean routedByValue() {
        return routedByValue;
    }

    Params params() {
        return params;
    }

    Identity identity() {
        return identity;
    }

    WorkspaceState workspace() {
        return workspace;
    }

    CompletableFuture<Void> firstLoad() {
        return firstLoad;
    }

    Set<Subscription> subscribers() {
        return subscribers;
    }

    boolean isDisposed() {
        return disposed;
    }

    /** Asks for a re-run (paced, single flight). */
    void markDirty() {
        if (!disposed) {
            noteDirty();
            runs.request();
        }
    }

    private void noteDirty() {
        dirtySince.compareAndSet(0, System.nanoTime());
    }

    /** A logged change marked this instance: its next run answers it (the newest few are kept). */
    synchronized void noteChange(ChangeLog.Entry entry) {
        entry.marked();
        if (awaitingChanges.isEmpty()) {
            awaitingChanges = new ArrayList<>(2);
        } else if (awaitingChanges.size() == ChangeLog.MAX_AWAITING_PER_INSTANCE) {
            awaitingChanges.remove(0);
        }
        awaitingChanges.add(entry);
    }

    /** At the start of a run: the logged changes it answers. */
    synchronized List<ChangeLog.Entry> takeChanges() {
        List<ChangeLog.Entry> taken = awaitingChanges;
        awaitingChanges = List.of();
        return taken;
    }

    /** After a run: its duration and error (null: it succeeded). */
    void recordRun(long nanos, Throwable error) {
        runCount++;
        lastRunMillis = Math.round(nanos / 1_000.0) / 1_000.0;
        lastError = error == null ? null : error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

    long runCount() {
        return runCount;
    }

    double lastRunMillis() {
        return lastRunMillis;
    }

    String lastError() {
        return lastError;
    }

    RunState runState() {
        return runs.state();
    }

    /** At the start of a run: since when the instance waited for it (0: a first load, nothing waited). */
    long takeDirtySince() {
        return dirtySince.getAndSet(0);
    }

    /**
     * Asks for a re-run, like {@link #markDirty}; the future completes when a run that started after
     * this call has finished (whether it succeeded or not), or the instance is disposed.
     */
    CompletableFuture<Void> markDirtyAndAwaitRun() {
        CompletableFuture<Void> run = new CompletableFuture<>();
        synchronized (this) {
            if (disposed) {
                return CompletableFuture.completedFuture(null);
            }
            awaitingRun.add(run);
        }
        noteDirty();
        runs.request();
        return run;
    }

    /** At the start of a run: the callers this run answers (completed by the caller when it ends). */
    synchronized List<CompletableFuture<Void>> takeRunWaiters() {
        if (awaitingRun.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Void>> taken = awaitingRun;
        awaitingRun = new ArrayList<>();
        return taken;
    }

    /** The first run, on the calling thread when nothing else runs it already (see {@link RunScheduler#runHereIfIdle}). */
    void loadHere() {
        if (!disposed && !runs.runHereIfIdle()) {
            runs.request();
        }
    }

    boolean isIdle() {
        return runs.isIdle();
    }

    /** Records a failed run; returns how many failed in a row. */
    int recordFailure() {
        return ++failuresInARow;
    }

    void recordSuccess() {
        failuresInARow = 0;
    }

    void dispose() {
        List<CompletableFuture<Void>> waiting;
        synchronized (this) {
            disposed = true;
            waiting = takeRunWaiters();
        }
        runs.cancel();
        waiting.forEach(run -> run.complete(null)); // no subscriber is left to see a run
    }
}
