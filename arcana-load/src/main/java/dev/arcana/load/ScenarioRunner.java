package dev.arcana.load;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Runs one {@link Scenario} against a running example app: creates its data, connects and
 * subscribes the clients, lets the writer commit for the scenario's duration while printing
 * progress, waits for the clients to settle, and checks every client's views against a fresh query.
 */
public final class ScenarioRunner {
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
    private static final int SUBSCRIBE_WINDOW = 32;

    private final Target target;
    private final Consumer<String> progress;
    private final int writerThreads;
    private final int connectsInFlight;
    private final int warmupSeconds;
    private final Storm.Plan storm;

    /** A runner with 4 writer threads that connects and subscribes 2 clients at a time, without warm-up. */
    public ScenarioRunner(Target target, Consumer<String> progress) {
        this(target, progress, 4, 2, 0, null);
    }

    /**
     * @param connectsInFlight clients connecting and subscribing at once. A WebSocket subscribe
     *                         blocks a server pool thread until the view's first run, which needs a
     *                         thread of the same Liberty pool (4 threads on 2 cores by default): more
     *                         concurrent subscribes of new views than free threads wait for the load
     *                         timeout (see BENCHMARKS.md).
     * @param warmupSeconds    seconds of writing at the scenario's rate before anything is measured
     *                         (JIT compilation, pools and caches warm up); its commits are checked
     *                         for loss like the others but not counted in the figures
     * @param storm            null, or when every client is dropped (and the server restarted) and
     *                         reconnects and syncs ({@link Storm}); the writes go on meanwhile
     */
    public ScenarioRunner(Target target, Consumer<String> progress, int writerThreads, int connectsInFlight,
                          int warmupSeconds, Storm.Plan storm) {
        this.target = target;
        this.progress = progress;
        this.writerThreads = writerThreads;
        this.connectsInFlight = connectsInFlight;
        this.warmupSeconds = warmupSeconds;
        this.storm = storm;
    }

    public ScenarioResult run(Scenario scenario, String label) throws Exception {
        progress.accept("== " + label + ": " + scenario);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        ServerProbe probe = new ServerProbe(target.baseUrl(), http, target.serverPid());
        String prefix = "load-" + label + "-" + scenario.name() + "-" + Long.toString(System.currentTimeMillis(), 36);
        Fixture fixture = Fixture.create(target.jdbcUrl(), prefix, scenario.workspaces(), scenario.tasksPerWorkspace(),
                scenario.views() == Scenario.Views.BY_ASSIGNEE);
        CommitLog log = new CommitLog();
        LatencyRecorder latencies = new LatencyRecorder();
        LatencyRecorder writeTimes = new LatencyRecorder();
        LongAdder frames = new LongAdder();
        long heapBaseline = probe.heapUsedAfterGcKb();
        MutationAudit audit = scenario.mutations() ? MutationAudit.install(target.jdbcUrl(), prefix) : null;

        List<LoadClient> clients = connect(scenario, fixture, log, latencies, frames, http);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try {
            progress.accept(String.format("   %d clients connected, %d subscriptions; heap before clients %s",
                    clients.size(), clients.stream().mapToInt(c -> c.state().views()).sum(), kb(heapBaseline)));

            List<ChangeWriter> writers = new ArrayList<>();
            for (int i = 0; i < (scenario.mutations() ? 0 : writerThreads); i++) {
                writers.add(target.writeMode() == Target.WriteMode.SQL ? ChangeWriter.sql(target.jdbcUrl())
                        : ChangeWriter.api(target.baseUrl(), http));
            }
            long commits;
            Baseline before;
            LatencyRecorder roundTrips = new LatencyRecorder();
            PacedMutator mutator = scenario.mutations()
                    ? new PacedMutator(fixture, log, PacedMutator.actorsOf(clients, fixture), roundTrips) : null;
            int unanswered = 0;
            double seconds;
            CompletableFuture<Storm.Result> stormDone = null;
            NotifyProbe notifyProbe = target.writeMode() == Target.WriteMode.SQL
                    ? new NotifyProbe(target.jdbcUrl(), "arcana_changes", log) : null;
            try {
                PacedWriter writer = new PacedWriter(fixture, log, writers, writeTimes);
                if (warmupSeconds > 0 && scenario.commitsPerSecond() > 0) {
                    progress.accept("   warming up: " + warmupSeconds + " s of writes, not measured");
                    // the warm-up's commits seen during the warm-up do not count either
                    latencies.holdUntilMeasureFrom();
                    writeTimes.holdUntilMeasureFrom();
                    roundTrips.holdUntilMeasureFrom();
                    if (notifyProbe != null) {
                        notifyProbe.holdUntilMeasureFrom();
                    }
                    if (mutator != null) {
                        mutator.run(scenario.commitsPerSecond(), warmupSeconds);
                    } else {
                        writer.run(scenario.commitsPerSecond(), warmupSeconds);
                    }
                }
                before = new Baseline(System.nanoTime(), frames.sum(), log.commits(), probe.stats(),
                        probe.cpuMark());
                latencies.measureFrom(before.nanos());
                writeTimes.measureFrom(before.nanos());
                roundTrips.measureFrom(before.nanos());
                if (notifyProbe != null) {
                    notifyProbe.measureFrom(before.nanos());
                }
                ticker.scheduleAtFixedRate(() -> progress.accept(String.format(
                        "   t=%3ds commits=%d frames=%d latency p50=%s p99=%s open=%d",
                        (System.nanoTime() - before.nanos()) / 1_000_000_000, log.commits() - before.commits(),
                        frames.sum() - before.frames(),
                        ms(LatencyRecorder.percentile(latencies.sorted(), 50)),
                        ms(LatencyRecorder.percentile(latencies.sorted(), 99)),
                        clients.stream().filter(LoadClient::isOpen).count())), 5, 5, TimeUnit.SECONDS);
                if (storm != null) {
                    stormDone = CompletableFuture.supplyAsync(() -> {
                        try {
                            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(storm.atSeconds()));
                            progress.accept("   storm: " + storm.describe() + ", " + clients.size() + " clients");
                            Storm.Result result = Storm.run(clients, http, target.wsEndpoint(), connectsInFlight, storm);
                            progress.accept(String.format("   storm: all back and synced after %.1f s (%d failed, "
                                    + "%d attempts)", result.seconds(), result.failed(), result.attempts()));
                            return result;
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
                }
                if (mutator != null) {
                    commits = mutator.run(scenario.commitsPerSecond(), scenario.durationSeconds());
                    seconds = (System.nanoTime() - before.nanos()) / 1e9;
                    unanswered = mutator.awaitReplies(30_000);
                } else {
                    commits = writer.run(scenario.commitsPerSecond(), scenario.durationSeconds());
                    seconds = (System.nanoTime() - before.nanos()) / 1e9;
                }
            } finally {
                if (notifyProbe != null) {
                    notifyProbe.close();
                }
                for (ChangeWriter writer : writers) {
                    writer.close();
                }
            }
            Storm.Result stormResult = stormDone == null ? null : stormDone.get(5, TimeUnit.MINUTES);
            // after a restart the server's counters start again from zero
            boolean restarted = storm != null && storm.restart() != null;
            ServerProbe.CpuMark cpuAfter = probe.cpuMark();
            settle(clients, fixture);
            ticker.shutdownNow();
            long framesDuring = frames.sum() - before.frames();
            JsonObject statsAfter = probe.stats();
            long heapUsed = probe.heapUsedAfterGcKb();
            Check check = check(scenario, clients, fixture);
            ScenarioResult.MutationFigures mutationFigures = null;
            if (mutator != null) {
                MutationAudit.Counts audited = audit.counts();
                mutationFigures = new ScenarioResult.MutationFigures(roundTrips.sorted(), mutator.counts(), unanswered,
                        audited.committed(), audited.titlesCommittedTwice());
            }

            long runs = statsAfter.getJsonNumber("factory_runs").longValue()
                    - (restarted ? 0 : before.stats().getJsonNumber("factory_runs").longValue());
            long changes = statsAfter.getJsonNumber("changes").longValue()
                    - (restarted ? 0 : before.stats().getJsonNumber("changes").longValue());
            ScenarioResult result = new ScenarioResult(scenario, label, commits, seconds, latencies.sorted(),
                    framesDuring, runs, commits == 0 ? 0 : runs / (double) commits, changes,
                    statsAfter.getInt("query_instances"), heapBaseline, heapUsed,
                    cpuAfter.serverCoresSince(before.cpu()), cpuAfter.machineBusySince(before.cpu()),
                    check.mismatched, check.uncredited, check.duplicates, check.gaps, check.resyncs, check.first,
                    notifyProbe == null ? new long[0] : notifyProbe.latencies().sorted(), writeTimes.sorted(),
                    mutationFigures,
                    HopWindow.between(restarted ? null : before.stats().getJsonObject("run_hops"),
                            statsAfter.getJsonObject("run_hops")), stormResult);
            progress.accept(Report.summaryLine(result));
            return result;
        } finally {
            ticker.shutdownNow();
            clients.forEach(LoadClient::close);
            if (audit != null) {
                audit.close();
            }
        }
    }

    private List<LoadClient> connect(Scenario scenario, Fixture fixture, CommitLog log, LatencyRecorder latencies,
                                     LongAdder frames, HttpClient http) throws Exception {
        List<LoadClient> clients = new ArrayList<>(scenario.clients());
        Semaphore inFlight = new Semaphore(connectsInFlight);
        List<CompletableFuture<?>> ready = new ArrayList<>();
        for (int i = 0; i < scenario.clients(); i++) {
            String workspace = fixture.workspaces().get(i % scenario.workspaces());
            // one user per workspace: clients with equal params share a query instance
            // a mutation scenario's acting client (the first of its workspace) is timed by its round trips: its own
            // frames are not counted with the other clients'
            LatencyRecorder credited = scenario.mutations() && i < scenario.workspaces() ? new LatencyRecorder() : latencies;
            LoadClient client = new LoadClient("seance-" + workspace + "-" + i, scenario.userOf(workspace), workspace,
                    new ClientState(log, credited), frames);
            clients.add(client);
            inFlight.acquire();
            List<ViewSpec> views = fixture.viewsOf(scenario, i);
            CompletableFuture<?> subscribed = client.connect(http, target.wsEndpoint())
                    .thenCompose(c -> subscribeInWindows(c, views, 0))
                    .whenComplete((ok, error) -> inFlight.release());
            ready.add(subscribed);
            if (i > 0 && i % 1_000 == 0) {
                progress.accept("   connecting: " + i + " of " + scenario.clients());
            }
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return clients;
    }

    /**
     * Subscribes {@code views} from {@code from} on, {@value #SUBSCRIBE_WINDOW} at a time: the server
     * refuses more than 64 requests waiting for their replies on one connection ({@code too_many_requests}).
     */
    private static CompletableFuture<Void> subscribeInWindows(LoadClient client, List<ViewSpec> views, int from) {
        if (from >= views.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int to = Math.min(views.size(), from + SUBSCRIBE_WINDOW);
        CompletableFuture<?>[] window = views.subList(from, to).stream().map(client::subscribe)
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(window).thenCompose(done -> subscribeInWindows(client, views, to));
    }

    /** Waits (polling, bounded) until every client shows the database's final titles. */
    private void settle(List<LoadClient> clients, Fixture fixture) throws Exception {
        Map<String, Map<String, String>> titles = new HashMap<>();
        try (Connection c = Fixture.connect(fixture.jdbcUrl())) {
            for (String workspace : fixture.workspaces()) {
                titles.put(workspace, fixture.titles(c, workspace));
            }
        }
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (clients.stream().allMatch(client -> client.state().shows(titles.get(client.workspace())))) {
                return;
            }
            Thread.sleep(50); // polling client state that frames update; bounded by the deadline
        }
        progress.accept("   clients did not settle within " + SETTLE_TIMEOUT + " (counted below as mismatches)");
    }

    /** Counters when measuring starts (after the warm-up): the figures are differences from these. */
    private record Baseline(long nanos, long frames, long commits, JsonObject stats, ServerProbe.CpuMark cpu) {
    }

    private record Check(int mismatched, long uncredited, int duplicates, int gaps, int resyncs, String first) {
    }

    private Check check(Scenario scenario, List<LoadClient> clients, Fixture fixture) throws Exception {
        Map<String, Fixture.Truth> truth = new HashMap<>();
        try (Connection c = Fixture.connect(fixture.jdbcUrl())) {
            for (String workspace : fixture.workspaces()) {
                truth.put(workspace, fixture.truth(c, workspace));
            }
        }
        int mismatched = 0;
        long uncredited = 0;
        int duplicates = 0;
        int gaps = 0;
        int resyncs = 0;
        String first = "";
        for (LoadClient client : clients) {
            ClientState state = client.state();
            List<String> problems = state.differences(truth.get(client.workspace())::of);
            if (state.syncErrors() > 0) {
                problems = new ArrayList<>(problems);
                problems.add(state.syncErrors() + " sync entries answered with errors");
            }
            if (state.views() != scenario.subscriptionsPerClient()) {
                problems = new ArrayList<>(problems);
                problems.add("holds " + state.views() + " views");
            }
            if (!problems.isEmpty()) {
                mismatched += problems.size();
                if (first.isEmpty()) {
                    first = client.workspace() + ": " + problems.get(0);
                }
            }
            // the commits of every task its views show (a task-list client's first view shows them all)
            Fixture.Truth ofWorkspace = truth.get(client.workspace());
            uncredited += state.uncredited(state.viewKeys().stream()
                    .flatMap(key -> ofWorkspace.of(key).stream().map(TaskRow::id)).distinct().toList());
            duplicates += state.duplicates();
            gaps += state.gaps();
            resyncs += state.resyncs();
        }
        return new Check(mismatched, uncredited, duplicates, gaps, resyncs, first);
    }

    static String ms(long micros) {
        return micros < 0 ? "-" : String.format("%.1f ms", micros / 1000.0);
    }

    static String kb(long kb) {
        return kb < 0 ? "n/a" : String.format("%.1f MiB", kb / 1024.0);
    }
}
