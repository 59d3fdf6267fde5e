package dev.arcana.engine;

import dev.arcana.api.ActiveSubscription;
import dev.arcana.api.AlreadyStartedException;
import dev.arcana.api.Arcana;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.Change;
import dev.arcana.api.EngineStats;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.ForbiddenException;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Mutation;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.NotFoundException;
import dev.arcana.api.NotStartedException;
import dev.arcana.api.Params;
import dev.arcana.api.Result;
import dev.arcana.api.SchemaDescription;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncEntry;
import dev.arcana.api.SyncRequest;
import dev.arcana.api.TooManySubscriptionsException;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.api.spi.DetectorStatus;
import dev.arcana.api.spi.Transport;
import dev.arcana.engine.jdbc.DataSourceQuerier;
import dev.arcana.engine.mutation.CommitLedger;
import dev.arcana.engine.mutation.JdbcTransactions;
import dev.arcana.engine.mutation.MutationTransactions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The engine core, free of container classes: built from a DataSource, a transport, a
 * scheduled executor (runs, debounce timers, GC) and a clock.
 */
public final class ArcanaEngine implements Arcana {
    private static final System.Logger LOG = System.getLogger(ArcanaEngine.class.getName());

    private final DataSource dataSource;
    private final Transport transport;
    private final ScheduledExecutorService executor;
    private final Executor runExecutor;
    private final EngineConfig config;
    private final LongSupplier nanoTime;
    private final ChangeDetector detector;

    private final Registry registry = new Registry();
    private final EngineMetrics metrics = new EngineMetrics();
    private final Map<String, WorkspaceState> workspaces = new ConcurrentHashMap<>();
    private final Map<String, Seance> seances = new ConcurrentHashMap<>();
    private final IdentityQuotas quotas;
    private final CommitLedger<Invalidator.Affected> ledger;
    private final Invalidator invalidator;
    private final ChangeLog changeLog;
    private final MutationRunner mutations;
    private final ExplicitNotifier notifier;
    private final SchemaCatalog schemaCatalog;
    static final long MAX_RETRY_DELAY_MS = 5_000;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger runsInFlight = new AtomicInteger();
    /** Start order of factory runs: the store keeps, per field, the value of the run that started last. */
    private final AtomicLong runStamps = new AtomicLong();
    private volatile ScheduledFuture<?> gcTask;

    private ArcanaEngine(Builder builder) {
        this.dataSource = Objects.requireNonNull(builder.dataSource, "dataSource");
        this.transport = Objects.requireNonNull(builder.transport, "transport");
        this.executor = Objects.requireNonNull(builder.executor, "executor");
        this.runExecutor = builder.runExecutor != null ? builder.runExecutor : executor;
        this.config = Objects.requireNonNull(builder.config, "config");
        this.nanoTime = Objects.requireNonNull(builder.nanoTime, "nanoTime");
        this.detector = builder.detector != null ? builder.detector
                : builder.detectorFactory != null ? builder.detectorFactory.apply(registry) : null;
        this.ledger = new CommitLedger<>(nanoTime);
        this.changeLog = new ChangeLog(builder.changeLogCapacity);
        this.invalidator = new Invalidator(registry, workspaces, metrics, ledger, changeLog,
                config.strategy().routesByValue());
        MutationTransactions transactions = builder.transactions != null ? builder.transactions
                : new JdbcTransactions(dataSource);
        this.mutations = new MutationRunner(registry, config, transactions, invalidator, ledger, detector != null,
                workspaces, this::ownSeance, this::retireIfUnused, executor, nanoTime);
        this.quotas = new IdentityQuotas(config.maxSeancesPerIdentity(), config.maxSubscriptionsPerIdentity());
        this.notifier = new ExplicitNotifier(config.notifyQueueCapacity(), executor);
        this.schemaCatalog = new SchemaCatalog(registry, dataSource);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Registry registry() {
        return registry;
    }

    public EngineConfig config() {
        return config;
    }

    @Override
    public void register(Graph graph) {
        if (running.get()) {
            throw new AlreadyStartedException("graphs must be registered before the engine starts: " + graph);
        }
        registry.register(graph);
    }

    @Override
    public void register(Mutation mutation) {
        if (running.get()) {
            throw new AlreadyStartedException("mutations must be registered before the engine starts: " + mutation);
        }
        registry.register(mutation);
    }

    @Override
    public MutationOutcome mutate(Identity identity, String action, Map<String, ?> params, String mutationId) {
        requireRunning();
        return mutations.mutate(identity, action, params, mutationId);
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            throw new AlreadyStartedException("engine is already running");
        }
        notifier.start(invalidator);
        if (detector != null) {
            detector.start(invalidator);
        }
        long gcNanos = config.gcInterval().toNanos();
        gcTask = executor.scheduleAtFixedRate(this::collectGarbage, gcNanos, gcNanos, TimeUnit.NANOSECONDS);
        LOG.log(System.Logger.Level.INFO, "ARCANA-ENGINE: started with {0} graphs, {1}", registry.size(), config);
    }

    @Override
    public void stop() {
        if (!running.compareAndSet(true, false)) {
            throw new NotStartedException();
        }
        ScheduledFuture<?> gc = gcTask;
        if (gc != null) {
            gc.cancel(false);
        }
        if (detector != null) {
            detector.stop();
        }
        notifier.stop();
        for (String seanceId : List.copyOf(seances.keySet())) {
            releaseSeance(seanceId);
            transport.disconnectSeance(seanceId);
        }
        awaitRunsInFlight();
        workspaces.clear();
        quotas.clear();
        LOG.log(System.Logger.Level.INFO, "ARCANA-ENGINE: stopped");
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /**
     * Subscribes the identity's seance. The seance's lock is held only to check and reserve (caps,
     * ownership, an existing subscription) and to commit the result: the first load of a new
     * instance, a database query, runs outside it, so the seance's other calls and its release do
     * not queue behind it.
     */
    @Override
    public Snapshot subscribe(Identity identity, String view, Map<String, ?> params) {
        requireRunning();
        Graph graph = graph(view);
        graph.authorize(identity); // 403 forbidden before any factory runs
        Params resolved = graph.params().resolve(params, false);
        String paramsHash = ParamsHash.of(view, resolved.asMap());
        while (true) {
            requireRunning();
            Seance seance = ownSeance(identity);
            Subscription subscription;
            boolean created;
            synchronized (seance) {
                if (seance.isRetired()) {
                    continue;
                }
                seance.touch(nanoTime.getAsLong());
                Subscription existing = seance.get(view, paramsHash);
                if (existing != null) {
                    return existing.instance().workspace().snapshot(existing);
                }
                if (seance.sizeWithLoading() >= config.maxSubscriptionsPerSeance()) {
                    throw new TooManySubscriptionsException(config.maxSubscriptionsPerSeance());
                }
                try {
                    quotas.reserveSubscription(seance.owner());
                } catch (RuntimeException e) {
                    retireIfUnused(seance); // a seance made by this call must not outlive its refusal
                    throw e;
                }
                WorkspaceState.Acquired acquired;
                try {
                    acquired = acquire(graph, paramsHash, resolved, identity);
                } catch (RuntimeException e) {
                    quotas.releaseSubscriptions(seance.owner(), 1);
                    retireIfUnused(seance);
                    throw e;
                }
                if (acquired == null) { // the workspace was retired by the garbage collection meanwhile
                    quotas.releaseSubscriptions(seance.owner(), 1);
                    continue;
                }
                subscription = acquired.subscription();
                created = acquired.created();
                seance.startLoading();
            }
            try {
                if (created) {
                    subscription.instance().loadHere();
                }
                awaitFirstLoad(subscription.instance());
            } catch (RuntimeException e) {
                synchronized (seance) {
                    seance.finishLoading();
                    abandon(seance, subscription);
                }
                throw e;
            }
            synchronized (seance) {
                seance.finishLoading();
                Subscription existing = seance.isRetired() ? null : seance.get(view, paramsHash);
                if (seance.isRetired() || existing != null) {
                    // released while loading (try again on a fresh seance), or a parallel equal subscribe won
                    abandon(seance, subscription);
                    if (existing == null) {
                        continue;
                    }
                    return existing.instance().workspace().snapshot(existing);
                }
                seance.put(subscription);
                return subscription.instance().workspace().snapshot(subscription);
            }
        }
    }

    @Override
    public void claimSeance(Identity identity) {
        while (true) {
            requireRunning();
            Seance seance = ownSeance(identity);
            synchronized (seance) {
                if (seance.isRetired()) {
                    continue;
                }
                seance.claim();
                seance.touch(nanoTime.getAsLong());
                return;
            }
        }
    }

    @Override
    public void unsubscribe(Identity identity, String view, String paramsHash) {
        requireRunning();
        Seance seance = touched(identity);
        if (seance == null) {
            throw NotFoundException.unknownSubscription(view, paramsHash);
        }
        synchronized (seance) {
            Subscription subscription = seance.isRetired() ? null : seance.remove(view, paramsHash);
            if (subscription == null) {
                throw NotFoundException.unknownSubscription(view, paramsHash);
            }
            subscription.instance().workspace().detach(subscription);
            quotas.releaseSubscriptions(seance.owner(), 1);
            retireIfUnused(seance);
        }
    }

    @Override
    public List<SyncEntry> sync(Identity identity, List<SyncRequest> views) {
        requireRunning();
        if (views.size() > config.maxSyncViews()) {
            throw new ArcanaException(ErrorCode.TOO_MANY_VIEWS, "a sync may carry at most " + config.maxSyncViews()
                    + " views");
        }
        touched(identity);
        List<SyncEntry> entries = new ArrayList<>(views.size());
        for (SyncRequest request : views) {
            try {
                entries.add(syncOne(identity, request));
            } catch (ArcanaException e) {
                entries.add(SyncEntry.error(request.view(), request.paramsHash(), e));
            }
        }
        return entries;
    }

    private SyncEntry syncOne(Identity identity, SyncRequest request) {
        graph(request.view());
        Subscription subscription = findSubscription(identity, request.view(), request.paramsHash());
        if (subscription != null) {
            return subscription.instance().workspace().sync(subscription, request.version());
        }
        if (request.params() == null) {
            throw NotFoundException.unknownSubscription(request.view(), request.paramsHash());
        }
        return SyncEntry.snapshot(subscribe(identity, request.view(), request.params()));
    }

    @Override
    public List<ActiveSubscription> active(Identity identity) {
        requireRunning();
        Seance seance = touched(identity);
        if (seance == null) {
            return List.of();
        }
        List<ActiveSubscription> active = new ArrayList<>();
        synchronized (seance) {
            for (Subscription subscription : seance.all()) {
                active.add(new ActiveSubscription(subscription.view(), subscription.paramsHash(),
                        subscription.version()));
            }
        }
        return active;
    }

    @Override
    public void releaseSeance(String seanceId) {
        Seance seance = seances.get(seanceId);
        if (seance == null) {
            return;
        }
        synchronized (seance) {
            release(seance);
        }
    }

    /** Detaches every subscription of the seance and retires it; the caller holds the seance's lock. */
    private void release(Seance seance) {
        List<Subscription> all = seance.removeAll();
        for (Subscription subscription : all) {
            subscription.instance().workspace().detach(subscription);
        }
        quotas.releaseSubscriptions(seance.owner(), all.size());
        retire(seance);
    }

    @Override
    public SchemaDescription schema() {
        requireRunning();
        return schemaCatalog.describe();
    }

    @Override
    public EngineStats stats() {
        int subscriptions = 0;
        int activeSeances = 0;
        for (Seance seance : seances.values()) {
            int size = seance.size();
            subscriptions += size;
            activeSeances += size > 0 ? 1 : 0;
        }
        long rows = 0;
        int instances = 0;
        for (WorkspaceState workspace : workspaces.values()) {
            rows += workspace.storeSize();
            instances += workspace.instanceCount();
        }
        return new EngineStats(running.get(), registry.size(), subscriptions, activeSeances, rows, instances,
                metrics.factoryRuns.sum(), metrics.factoryErrors.sum(), metrics.changes.sum(),
                metrics.changesIgnored.sum(), runsInFlight.get(), metrics.maxRunsInFlight.get());
    }

    /**
     * Where the time of re-runs went since start (see {@link RunHops}): {@code waited}, {@code run},
     * {@code pushed}, {@code total}, each as a histogram snapshot; then the transport's own hops
     * when it times them ({@link TransportHops}, e.g. {@code written}).
     */
    public Map<String, LatencyHistogram.Snapshot> runHops() {
        Map<String, LatencyHistogram.Snapshot> hops = new LinkedHashMap<>();
        hopHistograms().forEach((name, histogram) -> hops.put(name, histogram.snapshot()));
        return hops;
    }

    /** The live histograms behind {@link #runHops()}, in the same order (metrics exporters mirror them). */
    public Map<String, LatencyHistogram> hopHistograms() {
        Map<String, LatencyHistogram> hops = metrics.hops.histograms();
        if (transport instanceof TransportHops timed) {
            hops.putAll(timed.transportHops());
        }
        return hops;
    }

    /**
     * What DevTools shows (see {@link Introspection}) of the workspaces {@code visible} accepts,
     * narrowed by the optional filters ({@code null}: any): a workspace id, a graph key, a table.
     */
    public Introspection introspect(Predicate<String> visible, String workspaceFilter, String graphFilter,
                                    String tableFilter, int rowsPerTable) {
        Predicate<String> shown = workspace -> visible.test(workspace)
                && (workspaceFilter == null || workspaceFilter.equals(workspace));
        List<Introspection.Instance> instances = new ArrayList<>();
        List<Introspection.TableRows> rows = new ArrayList<>();
        for (WorkspaceState workspace : workspaces.values()) {
            if (!shown.test(workspace.id())) {
                continue;
            }
            for (QueryInstance instance : workspace.allInstances()) {
                if (graphFilter == null || graphFilter.equals(instance.graph().key())) {
                    instances.add(new Introspection.Instance(workspace.id(), instance.graph().key(),
                            instance.key().paramsHash(), instance.params().asMap(), workspace.subscriberCount(instance),
                            instance.runCount(), instance.lastRunMillis(), instance.lastError(), instance.runState()));
                }
            }
            rows.addAll(workspace.rowsForDevtools(tableFilter, rowsPerTable));
        }
        instances.sort(java.util.Comparator.comparing(Introspection.Instance::workspace)
                .thenComparing(Introspection.Instance::graph).thenComparing(Introspection.Instance::paramsHash));
        List<Introspection.SeanceInfo> seanceInfos = new ArrayList<>();
        long now = nanoTime.getAsLong();
        for (Seance seance : seances.values()) {
            if (shown.test(seance.owner().workspaceId())) {
                seanceInfos.add(new Introspection.SeanceInfo(Introspection.mask(seance.id()),
                        seance.owner().workspaceId(), seance.owner().userId(), seance.size(),
                        TimeUnit.NANOSECONDS.toMillis(now - seance.lastCallNanos())));
            }
        }
        List<ChangeLog.EntryView> changes = changeLog.recent(shown).stream()
                .filter(entry -> tableFilter == null || tableFilter.equals(entry.change().table()))
                .filter(entry -> graphFilter == null || entry.runs().stream().anyMatch(run -> graphFilter.equals(run.graph())))
                .toList();
        return new Introspection(stats(), detectorStatus(), runHops(), instances, seanceInfos, rows, changes,
                changeLog.isOn());
    }

    /** The state of the change source: the configured detector, or the explicit notifier. */
    public DetectorStatus detectorStatus() {
        return detector != null ? detector.status() : notifier.status();
    }

    @Override
    public void notify(Change change) {
        requireRunning();
        notifier.offer(Objects.requireNonNull(change, "change"));
    }

    /**
     * Releases seances idle past their TTL, drops rows no instance references and forgets workspaces
     * left empty; runs periodically, callable for tests and tooling.
     */
    public int collectGarbage() {
        releaseIdleSeances();
        int removed = 0;
        for (WorkspaceState workspace : workspaces.values()) {
            removed += workspace.collectGarbage();
            if (workspace.retireIfEmpty()) {
                workspaces.remove(workspace.id(), workspace);
            }
        }
        return removed;
    }

    /** What each identity holds (for tests). */
    IdentityQuotas quotas() {
        return quotas;
    }

    /** How many workspaces the engine holds state for (for tests). */
    int workspaceCount() {
        return workspaces.size();
    }

    /** True when no change is queued and no instance is running or due to run (for tests and tooling). */
    public boolean isQuiescent() {
        if (runsInFlight.get() > 0 || !notifier.isDrained()) {
            return false;
        }
        for (WorkspaceState workspace : workspaces.values()) {
            for (QueryInstance instance : workspace.allInstances()) {
                if (!instance.isIdle()) {
                    return false;
                }
            }
        }
        return true;
    }

    private Graph graph(String view) {
        Graph graph = registry.graph(view);
        if (graph == null) {
            throw NotFoundException.unknownView(view);
        }
        return graph;
    }

    private Subscription findSubscription(Identity identity, String view, String paramsHash) {
        Seance seance = ownedSeance(identity);
        if (seance == null) {
            return null;
        }
        synchronized (seance) {
            return seance.isRetired() ? null : seance.get(view, paramsHash);
        }
    }

    /** The caller's seance, marked as having called now; null when there is none. */
    private Seance touched(Identity identity) {
        Seance seance = ownedSeance(identity);
        if (seance != null) {
            seance.touch(nanoTime.getAsLong());
        }
        return seance;
    }

    /**
     * The identity's seance, or null when there is none.
     *
     * @throws ForbiddenException when the seance id is another identity's (the same answer whatever
     *                            that identity is, so that nothing about it is revealed)
     */
    private Seance ownedSeance(Identity identity) {
        Seance seance = seances.get(identity.seanceId());
        if (seance != null && !seance.ownedBy(identity)) {
            throw foreignSeance(identity);
        }
        return seance;
    }

    /** The identity's seance, created for it (within its seance quota) when there is none. */
    private Seance ownSeance(Identity identity) {
        Seance seance = ownedSeance(identity);
        if (seance != null) {
            return seance;
        }
        seance = seances.computeIfAbsent(identity.seanceId(), id -> {
            quotas.reserveSeance(identity.owner());
            return new Seance(id, identity.owner(), nanoTime.getAsLong());
        });
        if (!seance.ownedBy(identity)) { // another identity created it in between
            throw foreignSeance(identity);
        }
        return seance;
    }

    private static ForbiddenException foreignSeance(Identity identity) {
        LOG.log(System.Logger.Level.DEBUG, "ARCANA-ENGINE: user {0} in workspace {1} refused the seance of another "
                + "identity", identity.userId(), identity.workspaceId());
        return new ForbiddenException("this seance belongs to another identity");
    }

    /** A subscription that did not make it into its seance: detached, its quota given back; seance lock held. */
    private void abandon(Seance seance, Subscription subscription) {
        subscription.instance().workspace().detach(subscription);
        quotas.releaseSubscriptions(seance.owner(), 1);
        retireIfUnused(seance);
    }

    /** The instance for the subscription in the identity's workspace; null when that workspace was just retired. */
    private WorkspaceState.Acquired acquire(Graph graph, String paramsHash, Params params, Identity identity) {
        WorkspaceState workspace = workspaces.computeIfAbsent(identity.workspaceId(),
                id -> new WorkspaceState(id, transport));
        WorkspaceState.Acquired acquired = workspace.subscribe(instanceKey(graph, paramsHash, identity), graph, params,
                identity, identity.seanceId(), config.snapshotThreshold(), config.maxInstancesPerWorkspace(),
                this::runSchedulerFor);
        if (acquired == null) {
            workspaces.remove(identity.workspaceId(), workspace);
        }
        return acquired;
    }

    /**
     * Releases the seances that made no call for the idle TTL and that no transport holds: clients
     * that only ever called over HTTP (Centrifugo mode) and went away without a word. Without this,
     * their subscriptions would live, and re-run, for ever.
     */
    private void releaseIdleSeances() {
        long ttl = config.seanceIdleTtl().toNanos();
        if (ttl == 0) {
            return;
        }
        for (Seance seance : List.copyOf(seances.values())) {
            if (!seance.idleLongerThan(ttl, nanoTime.getAsLong()) || transport.holdsSeance(seance.id())) {
                continue;
            }
            synchronized (seance) {
                if (seance.isRetired() || !seance.idleLongerThan(ttl, nanoTime.getAsLong())) {
                    continue; // released or called meanwhile
                }
                LOG.log(System.Logger.Level.INFO, "ARCANA-ENGINE: releasing seance {0}: no call for {1} s and no "
                        + "connection", seance.id(), config.seanceIdleTtl().toSeconds());
                release(seance);
            }
        }
    }

    /**
     * Retires a seance that holds nothing (no subscription, no running mutation, no remembered
     * mutation outcome) and that no transport claimed (a claimed one lives until the transport
     * releases it, or the idle sweep does): its id is then free again.
     */
    private void retireIfUnused(Seance seance) {
        if (seance.size() == 0 && seance.sizeWithLoading() == 0 && !seance.isClaimed()
                && !seance.mutations().isInUse()) {
            retire(seance);
        }
    }

    private void retire(Seance seance) {
        if (!seance.isRetired()) {
            seance.retire();
            seances.remove(seance.id(), seance);
            quotas.releaseSeance(seance.owner());
        }
    }

    private void requireRunning() {
        if (!running.get()) {
            throw new NotStartedException();
        }
    }

    // Strategy.NAIVE (benchmark baseline): one instance per subscription, one run per change.
    private InstanceKey instanceKey(Graph graph, String paramsHash, Identity identity) {
        InstanceKey shared = InstanceKey.of(graph, paramsHash, identity);
        return config.strategy() == Strategy.NAIVE ? shared.unsharedFor(identity.seanceId()) : shared;
    }

    private RunScheduler runSchedulerFor(QueryInstance instance) {
        Runnable run = () -> refresh(instance);
        return config.strategy() == Strategy.NAIVE ? new EveryRequestRunner(run, runExecutor)
                : new Coalescer(run, config.debounce().toNanos(), executor, runExecutor, nanoTime);
    }

    private void awaitFirstLoad(QueryInstance instance) {
        try {
            instance.firstLoad().get(config.loadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ArcanaException arcana) {
                throw arcana;
            }
            throw ArcanaException.internal("view '" + instance.graph().key() + "' could not be loaded", e.getCause());
        } catch (TimeoutException e) {
            throw ArcanaException.internal("view '" + instance.graph().key() + "' took too long to load", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArcanaException.internal("interrupted while loading view '" + instance.graph().key() + "'", e);
        }
    }

    /** One factory run of an instance, then the diff of its result against the instance and the store. */
    private void refresh(QueryInstance instance) {
        List<CompletableFuture<Void>> waiters = instance.takeRunWaiters();
        try {
            run(instance);
        } finally {
            waiters.forEach(waiter -> waiter.complete(null));
        }
    }

    private void run(QueryInstance instance) {
        if (instance.isDisposed() || !running.get()) {
            return;
        }
        metrics.maxRunsInFlight.accumulate(runsInFlight.incrementAndGet());
        metrics.factoryRuns.increment();
        instance.workspace().runStarting(instance);
        long dirtySince = instance.takeDirtySince();
        List<ChangeLog.Entry> answered = instance.takeChanges();
        long started = System.nanoTime();
        long runStamp = runStamps.incrementAndGet(); // before the factory reads anything
        try {
            ResultView result;
            try (DataSourceQuerier querier = new DataSourceQuerier(dataSource, config.queryTimeout(), executor)) {
                Result raw = instance.graph().factory().build(new RunContext(instance.identity(), instance.params(), querier));
                if (raw == null) {
                    throw new IllegalStateException("factory of '" + instance.graph().key() + "' returned null");
                }
                result = ResultView.of(raw);
            }
            long ready = System.nanoTime();
            instance.workspace().apply(instance, result, runStamp);
            long handedOver = System.nanoTime();
            if (dirtySince != 0) {
                metrics.hops.record(dirtySince, started, ready, handedOver);
            }
            instance.recordRun(ready - started, null);
            if (!answered.isEmpty()) {
                ChangeLog.Hop hop = new ChangeLog.Hop(instance.key().workspaceId(), instance.graph().key(),
                        instance.key().paramsHash(), started, ready, handedOver);
                answered.forEach(entry -> entry.answered(hop));
            }
            instance.recordSuccess();
            instance.firstLoad().complete(null);
        } catch (Throwable e) {
            metrics.factoryErrors.increment();
            instance.recordRun(System.nanoTime() - started, e);
            boolean loaded = instance.firstLoad().isDone() && !instance.firstLoad().isCompletedExceptionally();
            if (loaded) {
                retryLater(instance, e);
            } else {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-RUN: first load of '" + instance.graph().key()
                        + "' failed for workspace " + instance.key().workspaceId(), e);
            }
            instance.firstLoad().completeExceptionally(e);
            if (e instanceof Error error && !(e instanceof AssertionError)) {
                throw error;
            }
        } finally {
            instance.workspace().runEnded(instance);
            runsInFlight.decrementAndGet();
        }
    }

    /**
     * A live view whose re-run failed (database down, timeout) still owes its clients the change
     * that triggered the run: it keeps its last state and re-runs after a backoff (100 ms doubling
     * to {@value #MAX_RETRY_DELAY_MS} ms) until a run succeeds, so a database outage delays
     * changes but never loses them.
     */
    private void retryLater(QueryInstance instance, Throwable cause) {
        int failures = instance.recordFailure();
        long delayMs = Math.min(MAX_RETRY_DELAY_MS, 100L << Math.min(failures - 1, 16));
        LOG.log(failures == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, "ARCANA-RUN: factory of '"
                + instance.graph().key() + "' failed for workspace " + instance.key().workspaceId() + " (" + failures
                + " in a row); the view keeps its last state and re-runs in " + delayMs + " ms", cause);
        try {
            executor.schedule(instance::markDirty, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the engine is stopping: nothing will run any more
        }
    }

    private void awaitRunsInFlight() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runsInFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (runsInFlight.get() > 0) {
            LOG.log(System.Logger.Level.WARNING, "ARCANA-ENGINE: stopped with {0} factory runs still in flight; their results are discarded",
                    runsInFlight.get());
        }
    }

    /** Assembles an engine; the change detector is optional (explicit notify always works). */
    public static final class Builder {
        private DataSource dataSource;
        private Transport transport;
        private ScheduledExecutorService executor;
        private Executor runExecutor;
        private EngineConfig config = EngineConfig.defaults();
        private LongSupplier nanoTime = System::nanoTime;
        private ChangeDetector detector;
        private Function<Registry, ChangeDetector> detectorFactory;
        private MutationTransactions transactions;
        private int changeLogCapacity;

        /** Keeps the last {@code capacity} changes with their runs' times, for DevTools (0, the default: off). */
        public Builder changeLog(int capacity) {
            changeLogCapacity = capacity;
            return this;
        }

        public Builder dataSource(DataSource value) {
            dataSource = value;
            return this;
        }

        public Builder transport(Transport value) {
            transport = value;
            return this;
        }

        public Builder executor(ScheduledExecutorService value) {
            executor = value;
            return this;
        }

        /**
         * Where factory runs execute (default: {@link #executor}), so that slow factories cannot
         * starve the timers and the transports' I/O on the shared executor. The caller owns it.
         */
        public Builder runExecutor(Executor value) {
            runExecutor = value;
            return this;
        }

        public Builder config(EngineConfig value) {
            config = value;
            return this;
        }

        public Builder clock(LongSupplier value) {
            nanoTime = value;
            return this;
        }

        public Builder changeDetector(ChangeDetector value) {
            detector = value;
            detectorFactory = null;
            return this;
        }

        /**
         * A detector made from the engine's registry (e.g. to install triggers for the registered
         * tables); graphs register before {@link ArcanaEngine#start()}, so read the registry at start.
         */
        public Builder changeDetector(Function<Registry, ChangeDetector> factory) {
            detectorFactory = factory;
            detector = null;
            return this;
        }

        /** How mutations get their transaction (default: {@link JdbcTransactions} on the data source). */
        public Builder transactions(MutationTransactions value) {
            transactions = value;
            return this;
        }

        public ArcanaEngine build() {
            return new ArcanaEngine(this);
        }
    }
}
