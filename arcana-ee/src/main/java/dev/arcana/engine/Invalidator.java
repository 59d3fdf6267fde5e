package dev.arcana.engine;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.ChangeSink;
import dev.arcana.engine.mutation.CommitLedger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Routes committed changes to the query instances they may affect: through the table index, the
 * column filter (an UPDATE of untracked columns is ignored) and the tenant scope (a change
 * carrying its workspace touches only that workspace's instances, when the table declares a
 * tenant column). Marking is cheap; the runs happen on the executor, coalesced per instance.
 */
final class Invalidator implements ChangeSink {
    private static final System.Logger LOG = System.getLogger(Invalidator.class.getName());

    private final Registry registry;
    private final Map<String, WorkspaceState> workspaces;
    private final EngineMetrics metrics;
    private final CommitLedger<Affected> ledger;
    private final ChangeLog changeLog;
    private final boolean routeByValue;

    /** What changes re-ran: the instances they marked, and the end of the runs that answer those marks. */
    record Affected(List<Change> changes, Set<QueryInstance> instances, CompletableFuture<Void> runs) {
        static final Affected NOTHING = new Affected(List.of(), Set.of(), CompletableFuture.completedFuture(null));
    }

    Invalidator(Registry registry, Map<String, WorkspaceState> workspaces, EngineMetrics metrics,
                CommitLedger<Affected> ledger, ChangeLog changeLog, boolean routeByValue) {
        this.registry = registry;
        this.workspaces = workspaces;
        this.metrics = metrics;
        this.ledger = ledger;
        this.changeLog = changeLog;
        this.routeByValue = routeByValue;
    }

    @Override
    public void accept(List<Change> transaction) {
        for (Change change : transaction) {
            ChangeLog.Entry logged = changeLog.received(change);
            route(change, logged == null ? QueryInstance::markDirty : instance -> {
                instance.noteChange(logged);
                instance.markDirty();
            });
        }
    }

    /**
     * A detector's report of a committed transaction: what a mutation's commit already applied is
     * not re-run again, and a mutation waiting for this report gets what the rest re-ran.
     */
    @Override
    public void accept(long xid, List<Change> transaction) {
        List<Change> rest = ledger.uncovered(xid, transaction);
        metrics.changesCovered.add(transaction.size() - rest.size());
        if (ledger.isAwaited(xid)) {
            ledger.reported(xid, invalidate(rest));
        } else {
            accept(rest);
        }
    }

    /** Marks the instances the changes affect, at once (a mutation's commit), and returns them with their next runs. */
    Affected invalidate(List<Change> changes) {
        if (changes.isEmpty()) {
            return Affected.NOTHING;
        }
        Set<QueryInstance> instances = new LinkedHashSet<>();
        for (Change change : changes) {
            ChangeLog.Entry logged = changeLog.received(change);
            route(change, logged == null ? instances::add : instance -> {
                if (instances.add(instance)) {
                    instance.noteChange(logged);
                }
            });
        }
        CompletableFuture<?>[] runs = new CompletableFuture<?>[instances.size()];
        int i = 0;
        for (QueryInstance instance : instances) {
            runs[i++] = instance.markDirtyAndAwaitRun();
        }
        return new Affected(List.copyOf(changes), instances, CompletableFuture.allOf(runs));
    }

    @Override
    public void invalidateAll(String reason) {
        LOG.log(System.Logger.Level.INFO, "ARCANA-INV: re-running every query instance ({0})", reason);
        for (WorkspaceState workspace : workspaces.values()) {
            for (QueryInstance instance : workspace.allInstances()) {
                instance.markDirty();
            }
        }
    }

    /** Hands every query instance the change may affect to {@code mark} (an instance may come more than once). */
    private void route(Change change, Consumer<QueryInstance> mark) {
        metrics.changes.increment();
        List<Registry.Dependent> dependents = registry.dependentsOf(change.table());
        boolean touched = false;
        if (!dependents.isEmpty() && change.op() == ChangeOp.DELETE && change.id() != null) {
            for (WorkspaceState workspace : scope(change, null)) {
                workspace.rowDeleted(change.table(), change.id());
            }
        }
        for (Registry.Dependent dependent : dependents) {
            if (change.op() == ChangeOp.UPDATE && !dependent.dependency().isAffectedBy(change.columns())) {
                continue;
            }
            for (WorkspaceState workspace : scope(change, dependent.dependency())) {
                touched |= workspace.affected(dependent.graph(), dependent.dependency(), change, routeByValue,
                        mark);
            }
        }
        if (!touched) {
            metrics.changesIgnored.increment();
        }
    }

    /**
     * The workspaces a change may affect: all of them when its tenant is unknown or the table has
     * none ({@code dependency} null: any tenant-scoped table); otherwise its workspace — plus, for
     * an UPDATE that may have moved the row to another workspace (changed columns unknown, or the
     * tenant column among them), every other workspace still holding the row. That last walk is
     * only needed when the source did not know the old tenant (WAL without REPLICA IDENTITY
     * FULL, explicit notifications); triggers and full old rows report moves as DELETE + INSERT.
     */
    private Collection<WorkspaceState> scope(Change change, TableDependency dependency) {
        String workspaceId = change.workspaceId();
        boolean tenantScoped = dependency == null || dependency.tenantColumn() != null;
        if (workspaceId == null || !tenantScoped) {
            return workspaces.values();
        }
        WorkspaceState workspace = workspaces.get(workspaceId);
        if (!mayHaveMoved(change, dependency)) {
            return workspace == null ? List.of() : List.of(workspace);
        }
        List<WorkspaceState> scope = workspace == null ? new ArrayList<>(1) : new ArrayList<>(List.of(workspace));
        for (WorkspaceState other : workspaces.values()) {
            if (other != workspace && other.holdsRow(change.table(), change.id())) {
                scope.add(other);
            }
        }
        return scope;
    }

    private static boolean mayHaveMoved(Change change, TableDependency dependency) {
        return change.op() == ChangeOp.UPDATE && change.id() != null && dependency != null
                && (change.columns().isEmpty() || change.columns().contains(dependency.tenantColumn()));
    }
}
