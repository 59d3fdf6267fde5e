package dev.arcana.engine;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Params;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncEntry;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.Transport;
import dev.arcana.engine.diff.JsonSupport;
import dev.arcana.engine.diff.RefsDiff;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Everything of one workspace: its row store and its query instances. One lock serialises the
 * application of factory results, subscribes and syncs of the workspace, and the pushes they
 * publish, so that every client sees row and view diffs in one consistent order. Factories run
 * outside the lock.
 */
final class WorkspaceState {
    private static final JsonProvider JSON = JsonSupport.provider();

    /** A new subscription, and whether its instance was created by this call (and so must be run). */
    record Acquired(Subscription subscription, boolean created) {
    }

    private final String id;
    private final Transport transport;
    private final Object lock = new Object();
    private final RowStore store = new RowStore();
    private final Map<InstanceKey, QueryInstance> instances = new HashMap<>();
    private final Map<String, Set<QueryInstance>> instancesByGraph = new ConcurrentHashMap<>();
    private final MatchIndex matchIndex = new MatchIndex();
    /** Instances of graphs with {@link dev.arcana.api.ColumnMatch}es by the rows they hold (guarded by the lock). */
    private final Map<RowKey, Set<QueryInstance>> holders = new HashMap<>();
    /** Instances whose factory runs now: they may have read a row before its change. */
    private final Set<QueryInstance> underWay = ConcurrentHashMap.newKeySet();
    private volatile int storeSize;
    private boolean retired;

    WorkspaceState(String id, Transport transport) {
        this.id = id;
        this.transport = transport;
    }

    String id() {
        return id;
    }

    /**
     * Subscribes a seance to the instance of {@code key}, creating the instance when there is none
     * (the caller then triggers its first run). One lock section, so that the instance cannot
     * lose its last subscriber in between. Null when the workspace has been retired: the caller
     * takes the engine's current state for the workspace and tries again.
     *
     * @throws ArcanaException {@code too_many_instances} when a new instance would pass {@code maxInstances}
     */
    Acquired subscribe(InstanceKey key, Graph graph, Params params, Identity identity, String seanceId,
                       int historyLimit, int maxInstances, Function<QueryInstance, RunScheduler> schedulers) {
        synchronized (lock) {
            if (retired) {
                return null;
            }
            QueryInstance instance = instances.get(key);
            boolean created = false;
            if (instance == null || instance.firstLoad().isCompletedExceptionally()) {
                if (instance != null) {
                    remove(instance);
                }
                if (instances.size() >= maxInstances) {
                    throw new ArcanaException(ErrorCode.TOO_MANY_INSTANCES, "live query limit of " + maxInstances
                            + " per workspace reached");
                }
                instance = new QueryInstance(key, graph, params, identity, this);
                instance.attachRunScheduler(schedulers.apply(instance));
                instances.put(key, instance);
                instancesByGraph.computeIfAbsent(graph.key(), k -> ConcurrentHashMap.newKeySet()).add(instance);
                matchIndex.add(instance);
                created = true;
            }
            Subscription subscription = new Subscription(seanceId, instance, historyLimit);
            instance.subscribers().add(subscription);
            return new Acquired(subscription, created);
        }
    }

    /** Detaches a subscription; its instance goes when its last subscriber does. */
    void detach(Subscription subscription) {
        synchronized (lock) {
            QueryInstance instance = subscription.instance();
            instance.subscribers().remove(subscription);
            if (instance.subscribers().isEmpty()) {
                remove(instance);
            }
        }
    }

    private void remove(QueryInstance instance) {
        instance.dispose();
        if (instances.get(instance.key()) == instance) {
            instances.remove(instance.key());
        }
        Set<QueryInstance> ofGraph = instancesByGraph.get(instance.key().graphKey());
        if (ofGraph != null) {
            ofGraph.remove(instance);
        }
        matchIndex.remove(instance);
        List<Delivery> out = new ArrayList<>();
        boolean routed = instance.routedByValue();
        for (RowKey key : instance.rowKeys) {
            store.release(key);
            addDeletion(key, out);
            if (routed) {
                unhold(key, instance);
            }
        }
        instance.rowKeys = Set.of();
        storeSize = store.size();
        publish(out);
    }

    /** Live instances of a graph; safe to read without the lock. */
    Collection<QueryInstance> instancesOf(String graphKey) {
        Set<QueryInstance> set = instancesByGraph.get(graphKey);
        return set == null ? List.of() : set;
    }

    /**
     * Hands {@code mark} the instances of {@code graph} that a change of one of {@code dependency}'s
     * rows may affect; returns whether there was any. Without {@link dev.arcana.api.ColumnMatch}es
     * (or {@code byValue} false), or for a change that does not carry their columns' new values,
     * that is every instance. With them: the instances whose values equal the row's new values (none
     * for a DELETE), the instances that hold the row now (they may lose it), and those with a run
     * under way (it may have read the row before the change). Lookups only: by value in the
     * {@link MatchIndex}, holders by row, runs under way from their own small set.
     */
    boolean affected(Graph graph, TableDependency dependency, Change change, boolean byValue,
                     Consumer<QueryInstance> mark) {
        Collection<QueryInstance> all = instancesOf(graph.key());
        if (all.isEmpty()) {
            return false;
        }
        Set<QueryInstance> found = new LinkedHashSet<>();
        boolean narrowed = byValue && !dependency.matches().isEmpty() && change.id() != null && change.op() != ChangeOp.TRUNCATE
                && (change.op() == ChangeOp.DELETE || matchIndex.matching(graph, dependency, change.values(), found::add));
        if (!narrowed) {
            all.forEach(mark);
            return true;
        }
        // under way first, holders second: a run leaves underWay only after its rows are held, so none slips between
        for (QueryInstance instance : underWay) {
            if (instance.key().graphKey().equals(graph.key())) {
                found.add(instance);
            }
        }
        synchronized (lock) {
            Set<QueryInstance> holding = holders.get(new RowKey(change.table(), change.id()));
            if (holding != null) {
                for (QueryInstance instance : holding) {
                    if (instance.key().graphKey().equals(graph.key())) {
                        found.add(instance);
                    }
                }
            }
        }
        found.forEach(mark);
        return !found.isEmpty();
    }

    /** A run of {@code instance} starts: until {@link #runEnded}, every change of its graph's tables marks it. */
    void runStarting(QueryInstance instance) {
        underWay.add(instance);
    }

    /** The run has ended, and its result (if any) has been applied. */
    void runEnded(QueryInstance instance) {
        underWay.remove(instance);
    }

    private void hold(RowKey key, QueryInstance instance) {
        holders.computeIfAbsent(key, k -> new LinkedHashSet<>(2)).add(instance);
    }

    private void unhold(RowKey key, QueryInstance instance) {
        Set<QueryInstance> holding = holders.get(key);
        if (holding != null && holding.remove(instance) && holding.isEmpty()) {
            holders.remove(key);
        }
    }

    Collection<QueryInstance> allInstances() {
        synchronized (lock) {
            return new ArrayList<>(instances.values());
        }
    }

    int instanceCount() {
        synchronized (lock) {
            return instances.size();
        }
    }

    int storeSize() {
        return storeSize;
    }

    int subscriberCount(QueryInstance instance) {
        synchronized (lock) {
            return instance.subscribers().size();
        }
    }

    /** The store's tables for DevTools: count and first rows of each ({@code table} null: all). */
    List<Introspection.TableRows> rowsForDevtools(String table, int limit) {
        List<Introspection.TableRows> out = new ArrayList<>();
        synchronized (lock) {
            store.firstRows(limit).forEach((name, rows) -> {
                if (table == null || table.equals(name)) {
                    out.add(new Introspection.TableRows(id, name, rows.getKey(), rows.getValue()));
                }
            });
        }
        return out;
    }

    /** Whether this workspace's store holds the row (a view of it references it). */
    boolean holdsRow(String table, String rowId) {
        synchronized (lock) {
            return store.get(new RowKey(table, rowId)) != null;
        }
    }

    /** The database deleted a row: clients drop it as soon as no view references it any more. */
    void rowDeleted(String table, String rowId) {
        synchronized (lock) {
            if (store.markDeletePending(table, rowId)) {
                List<Delivery> out = new ArrayList<>(1);
                addDeletion(new RowKey(table, rowId), out);
                storeSize = store.size();
                publish(out);
            }
        }
    }

    /**
     * Applies a factory result: merges rows (table_diff to the workspace), moves refcounts, and
     * sends one view_diff per subscriber when refs or total changed.
     */
    /** @param runStamp when the run started (engine-wide, increasing): older runs never overwrite newer fields */
    void apply(QueryInstance instance, ResultView result, long runStamp) {
        synchronized (lock) {
            if (instance.isDisposed()) {
                return;
            }
            List<Delivery> out = new ArrayList<>();
            for (Map.Entry<RowKey, JsonObject> row : result.rows().entrySet()) {
                RowStore.RowPatch patch = store.upsert(row.getKey().table(), row.getKey().id(), row.getValue(),
                        runStamp);
                if (patch != null) {
                    out.add(Delivery.toWorkspace(id, Pushes.rowPatch(patch)));
                }
            }
            boolean routed = instance.routedByValue();
            Set<RowKey> entered = new LinkedHashSet<>();
            for (RowKey key : result.rowKeys()) {
                if (!instance.rowKeys.contains(key)) {
                    entered.add(key);
                    store.retain(key);
                    if (routed) {
                        hold(key, instance);
                    }
                }
            }
            List<RowKey> left = new ArrayList<>();
            for (RowKey key : instance.rowKeys) {
                if (!result.rowKeys().contains(key)) {
                    left.add(key);
                    store.release(key);
                    if (routed) {
                        unhold(key, instance);
                    }
                }
            }
            JsonArray refsPatch = RefsDiff.diff(instance.refs, result.refs());
            boolean totalChanged = !instance.total.equals(result.total());
            instance.refs = result.refs();
            instance.rowKeys = result.rowKeys();
            instance.total = result.total();
            if (instance.loaded && (!refsPatch.isEmpty() || totalChanged)) {
                JsonObject tables = tablesJson(entered);
                for (Subscription subscription : instance.subscribers()) {
                    long version = subscription.advance(refsPatch, result.total());
                    out.add(Delivery.toSeance(subscription.seanceId(), Pushes.viewDiff(subscription.view(),
                            subscription.paramsHash(), version, refsPatch, tables, result.total())));
                }
            }
            for (RowKey key : left) {
                addDeletion(key, out);
            }
            instance.loaded = true;
            storeSize = store.size();
            publish(out);
        }
    }

    Snapshot snapshot(Subscription subscription) {
        synchronized (lock) {
            QueryInstance instance = subscription.instance();
            return new Snapshot(subscription.view(), subscription.paramsHash(), subscription.version(),
                    subscription.seanceId(), refsJson(instance.refs), tablesJson(instance.rowKeys), instance.total);
        }
    }

    /**
     * Catch-up when the history covers the client's gap, else a snapshot (and the history is
     * reset). Either way the entry carries the current data of every referenced row, so that
     * row-only changes made while the client was away are not lost.
     */
    SyncEntry sync(Subscription subscription, long clientVersion) {
        synchronized (lock) {
            List<Subscription.PatchEntry> patches = subscription.patchesSince(clientVersion);
            if (patches == null) {
                subscription.resetHistory();
                return SyncEntry.snapshot(snapshot(subscription));
            }
            JsonArrayBuilder list = JSON.createArrayBuilder();
            for (Subscription.PatchEntry patch : patches) {
                JsonObjectBuilder entry = JSON.createObjectBuilder()
                        .add("version", patch.version())
                        .add("refs_patch", patch.refsPatch());
                patch.total().ifPresent(t -> entry.add("total", t));
                list.add(entry);
            }
            QueryInstance instance = subscription.instance();
            return SyncEntry.catchUp(subscription.view(), subscription.paramsHash(), subscription.version(),
                    list.build(), tablesJson(instance.rowKeys), instance.total);
        }
    }

    /** The subscription's current version (its view_diffs are counted under this lock). */
    long version(Subscription subscription) {
        synchronized (lock) {
            return subscription.version();
        }
    }

    /**
     * The {@code ver} of the row's last table_diff; 0 when none was sent: the store does not hold the
     * row, or holds it at version 1 — as it entered the store, which clients received inside the
     * {@code tables} of a view_diff or snapshot, without a version.
     */
    long announcedRowVersion(String table, String rowId) {
        synchronized (lock) {
            RowStore.StoredRow row = store.get(new RowKey(table, rowId));
            return row == null || row.version < 2 ? 0 : row.version;
        }
    }

    int collectGarbage() {
        synchronized (lock) {
            int removed = store.collectGarbage();
            storeSize = store.size();
            return removed;
        }
    }

    /**
     * Retires the workspace when it holds neither instances nor rows, so that the engine can
     * forget it: workspaces that clients left must not cost memory, nor time in every walk over
     * all workspaces. A retired state refuses subscribes; nothing else can reach it any more.
     */
    boolean retireIfEmpty() {
        synchronized (lock) {
            if (instances.isEmpty() && store.size() == 0) {
                retired = true;
            }
            return retired;
        }
    }

    private void addDeletion(RowKey key, List<Delivery> out) {
        long version = store.removeIfDeleted(key);
        if (version > 0) {
            out.add(Delivery.toWorkspace(id, Pushes.rowDeleted(key.table(), key.id(), version)));
        }
    }

    private void publish(List<Delivery> out) {
        if (!out.isEmpty()) {
            transport.publish(out);
        }
    }

    private static JsonArray refsJson(List<JsonObject> refs) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        refs.forEach(array::add);
        return array.build();
    }

    private JsonObject tablesJson(Collection<RowKey> keys) {
        Map<String, JsonObjectBuilder> byTable = new LinkedHashMap<>();
        for (RowKey key : keys) {
            JsonObject data = store.data(key);
            if (data != null) {
                byTable.computeIfAbsent(key.table(), t -> JSON.createObjectBuilder()).add(key.id(), data);
            }
        }
        JsonObjectBuilder tables = JSON.createObjectBuilder();
        byTable.forEach(tables::add);
        return tables.build();
    }
}
