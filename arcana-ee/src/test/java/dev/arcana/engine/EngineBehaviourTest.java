package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.arcana.api.AlreadyStartedException;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.Change;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.ForbiddenException;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.Snapshot;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.PushType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Engine rules that need no database: validation, limits, lifecycle, error isolation, run scheduling. */
class EngineBehaviourTest {
    private static final String ORG = "550e8400-e29b-41d4-a716-446655440000";
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final RecordingTransport transport = new RecordingTransport();
    private final Identity alice = new Identity("s1", "u1", "acme");
    private final AtomicReference<String> label = new AtomicReference<>("one");
    private final AtomicInteger runs = new AtomicInteger();
    private ArcanaEngine engine;

    @AfterEach
    void stop() {
        if (engine != null && engine.isRunning()) {
            engine.stop();
        }
        executor.shutdownNow();
    }

    private Graph.Builder itemGraph(String key) {
        return Graph.builder(key)
                .param("org_id", Param.uuid().required())
                .param("limit", Param.integer().defaultValue(50))
                .param("role", Param.string().oneOf("admin", "member", "viewer"))
                .param("ratio", Param.floating())
                .param("active", Param.bool())
                .dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> {
                    runs.incrementAndGet();
                    return new Result().addRowAndRef("items", "1", Map.of("id", "1", "label", label.get()));
                });
    }

    private ArcanaEngine started(EngineConfig config, Graph... graphs) {
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor)
                .config(config).build();
        for (Graph graph : graphs) {
            engine.register(graph);
        }
        engine.start();
        return engine;
    }

    /** The engine clock of {@link #startedOnClock}: moves only when a test moves it. */
    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();

    /** An engine with the items graph whose debounce and idle sweeps read {@link #now}. */
    private void startedOnClock(EngineConfig config) {
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor)
                .config(config).clock(now::get).build();
        engine.register(itemGraph("items").build());
        engine.start();
    }

    private ArcanaEngine started(Graph... graphs) {
        return started(EngineConfig.builder().debounce(Duration.ZERO).build(), graphs);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "{}                                   | org_id | param 'org_id' is required",
            "{'org_id':null}                      | org_id | param 'org_id' is required",
            "{'org_id':'nope'}                    | org_id | param 'org_id' must be a UUID, got \"nope\"",
            "{'org_id':12}                        | org_id | param 'org_id' must be a UUID, got number",
            "{'org_id':'" + ORG + "','limit':'x'} | limit  | param 'limit' must be an int, got string \"x\"",
            "{'org_id':'" + ORG + "','limit':1.7} | limit  | param 'limit' must be an integral number, got 1.7",
            "{'org_id':'" + ORG + "','role':'x'}  | role   | param 'role' must be one of [admin, member, viewer], got \"x\"",
            "{'org_id':'" + ORG + "','ratio':true}| ratio  | param 'ratio' must be a float, got bool",
            "{'org_id':'" + ORG + "','active':1}  | active | param 'active' must be a bool, got number",
    })
    void badParamsAreRefusedWithCodeAndMessage(String params, String param, String message) {
        started(itemGraph("items").build());
        Map<String, Object> raw = new HashMap<>();
        jakarta.json.Json.createReader(new java.io.StringReader(params.replace('\'', '"'))).readObject()
                .forEach(raw::put);

        assertThatThrownBy(() -> engine.subscribe(alice, "items", raw))
                .isInstanceOfSatisfying(dev.arcana.api.InvalidParamsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMS);
                    assertThat(e.code().httpStatus()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo(param);
                })
                .hasMessage(message);
        assertThat(engine.stats().subscriptions()).isZero();
    }

    @Test
    void aChangeTouchingAThousandInstancesNeverRunsMoreAtOnceThanTheRunPoolAndReRunsEachOnce() throws Exception {
        int budget = 4;
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(budget);
        try {
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger maxConcurrent = new AtomicInteger();
            engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor)
                    .runExecutor(pool)
                    .config(EngineConfig.builder().maxSubscriptionsPerSeance(2_000)
                            .caps(new EngineConfig.Caps(2_000, 32, 10_000, 0)).build())
                    .build();
            engine.register(Graph.builder("page").param("n", Param.integer().required())
                    .dependsOn(TableDependency.of("items", "label"))
                    .factory(ctx -> {
                        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(1); // a query's worth of time, so that runs overlap if the pool allowed it
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            concurrent.decrementAndGet();
                        }
                        runs.incrementAndGet();
                        return new Result().addRowAndRef("items", "i" + ctx.params().longValue("n"),
                                Map.of("id", "i" + ctx.params().longValue("n"), "label", label.get()));
                    }).build());
            engine.start();
            for (int n = 0; n < 1_000; n++) {
                engine.subscribe(alice, "page", Map.of("n", n));
            }
            assertThat(engine.stats().queryInstances()).isEqualTo(1_000);
            int loads = runs.get();

            label.set("two");
            engine.notify(Change.tableWide("items"));
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() - loads == 1_000);
            Quiescence.await(engine, Duration.ofSeconds(10));

            assertThat(runs.get() - loads).as("one re-run per instance").isEqualTo(1_000);
            assertThat(maxConcurrent.get()).as("never more factory runs at once than the run pool").isBetween(2, budget);
            assertThat(engine.stats().maxRunsInFlight()).isLessThanOrEqualTo(budget);
            assertThat(engine.stats().runsInFlight()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyReRunRecordsItsHopsAndFirstLoadsDoNot() {
        started(itemGraph("items").build());
        engine.subscribe(alice, "items", Map.of("org_id", ORG));
        assertThat(engine.runHops().get("total").count()).as("the first load waited for no change").isZero();

        label.set("two");
        engine.notify(Change.update("items", "1", "acme", "label"));
        await().atMost(Duration.ofSeconds(3)).until(() -> engine.runHops().get("total").count() == 1);

        Map<String, LatencyHistogram.Snapshot> hops = engine.runHops();
        assertThat(hops).containsOnlyKeys("waited", "run", "pushed", "total");
        assertThat(hops.values()).allSatisfy(hop -> assertThat(hop.count()).isEqualTo(1));
        assertThat(hops.get("total").meanMillis()).as("the whole is at least each part")
                .isGreaterThanOrEqualTo(hops.get("run").meanMillis())
                .isGreaterThanOrEqualTo(hops.get("waited").meanMillis());
        assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).hasSize(1);
    }

    @Test
    void unknownParamIsDroppedSoTheHashIgnoresIt() {
        started(itemGraph("items").build());
        Snapshot plain = engine.subscribe(alice, "items", Map.of("org_id", ORG));
        Snapshot extra = engine.subscribe(alice, "items", Map.of("org_id", ORG, "bogus", 1));
        assertThat(extra.paramsHash()).isEqualTo(plain.paramsHash());
        assertThat(engine.stats().subscriptions()).isEqualTo(1);
    }

    @Test
    void unknownViewIsNotFound() {
        started(itemGraph("items").build());
        assertThatThrownBy(() -> engine.subscribe(alice, "nope", Map.of()))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("unknown view 'nope'");
    }

    @Test
    void unsubscribingWhatTheSeanceDoesNotHoldIsNotFound() {
        started(itemGraph("items").build());
        assertThatThrownBy(() -> engine.unsubscribe(alice, "items", "abc"))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("no subscription to view 'items' with params_hash 'abc'");
    }

    @Test
    void subscriptionLimitPerSeanceIsEnforced() {
        started(EngineConfig.builder().debounce(Duration.ZERO).maxSubscriptionsPerSeance(2).build(),
                itemGraph("items").build());
        engine.subscribe(alice, "items", Map.of("org_id", ORG, "limit", 1));
        engine.subscribe(alice, "items", Map.of("org_id", ORG, "limit", 2));
        engine.subscribe(alice, "items", Map.of("org_id", ORG, "limit", 2));

        assertThatThrownBy(() -> engine.subscribe(alice, "items", Map.of("org_id", ORG, "limit", 3)))
                .isInstanceOfSatisfying(ArcanaException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_SUBSCRIPTIONS);
                    assertThat(e.code().httpStatus()).isEqualTo(429);
                })
                .hasMessage("subscription limit of 2 per seance reached");
        assertThat(engine.subscribe(new Identity("s2", "u1", "acme"), "items", Map.of("org_id", ORG))).isNotNull();
    }

    @Test
    void everyCallBeforeStartIsNotReady() {
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor).build();
        engine.register(itemGraph("items").build());

        assertThatThrownBy(() -> engine.subscribe(alice, "items", Map.of("org_id", ORG)))
                .isInstanceOfSatisfying(ArcanaException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_READY);
                    assertThat(e.code().httpStatus()).isEqualTo(503);
                })
                .hasMessage("engine is not running");
        assertThatThrownBy(() -> engine.notify(Change.tableWide("items"))).hasMessage("engine is not running");
        assertThatThrownBy(engine::stop).hasMessage("engine is not running");
    }

    @Test
    void startingTwiceOrRegisteringAfterStartFails() {
        started(itemGraph("items").build());
        assertThatThrownBy(engine::start).isInstanceOf(AlreadyStartedException.class)
                .hasMessage("engine is already running");
        assertThatThrownBy(() -> engine.register(itemGraph("other").build()))
                .isInstanceOf(AlreadyStartedException.class);
    }

    @Test
    void forbiddenFactoryRefusesTheSubscriptionWith403() {
        Graph secret = Graph.builder("secret").dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> {
                    ctx.requirePermission("read:secret");
                    return new Result();
                }).build();
        started(secret);

        assertThatThrownBy(() -> engine.subscribe(alice, "secret", Map.of()))
                .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(403))
                .hasMessage("permission 'read:secret' required");
        assertThat(engine.stats().subscriptions()).isZero();
        assertThat(engine.stats().queryInstances()).isZero();
        Snapshot allowed = engine.subscribe(new Identity("s9", "u9", "acme", "admin", java.util.Set.of("read:secret")),
                "secret", Map.of());
        assertThat(allowed.version()).isEqualTo(1);
    }

    @Test
    void failingFactoryOnSubscribeIsAnInternalErrorWithoutSqlText() {
        Graph broken = Graph.builder("broken").dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> {
                    throw new java.sql.SQLException("syntax error at or near \"selec\"", "42601");
                }).build();
        started(broken);

        assertThatThrownBy(() -> engine.subscribe(alice, "broken", Map.of()))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessage("view 'broken' could not be loaded");
        assertThat(engine.stats().factoryErrors()).isEqualTo(1);
    }

    @Test
    void aSubscribeOnThePoolsOnlyThreadStillLoadsItsView() throws Exception {
        ScheduledExecutorService single = Executors.newScheduledThreadPool(1);
        try {
            engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(single)
                    .config(EngineConfig.builder().debounce(Duration.ZERO).loadTimeout(Duration.ofSeconds(20)).build())
                    .build();
            engine.register(itemGraph("items").build());
            engine.start();
            // the request thread is the pool's only thread: the first run must not wait for another one
            Snapshot snapshot = single.submit(() -> engine.subscribe(alice, "items", Map.of("org_id", ORG)))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(snapshot.refs()).hasSize(1);
            assertThat(runs.get()).isEqualTo(1);
        } finally {
            engine.stop();
            single.shutdownNow();
        }
    }

    @Test
    void aFailedRerunIsRetriedUntilItSucceedsSoTheChangeIsNotLost() {
        AtomicInteger failuresLeft = new AtomicInteger();
        Graph flaky = Graph.builder("flaky").dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> {
                    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new IllegalStateException("database unavailable");
                    }
                    return new Result().addRowAndRef("items", "1", Map.of("id", "1", "label", label.get()));
                }).build();
        started(flaky);
        engine.subscribe(alice, "flaky", Map.of());
        failuresLeft.set(3);
        label.set("after the outage");
        engine.notify(Change.update("items", "1", null, "label"));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).singleElement()
                        .satisfies(diff -> assertThat(diff.toString()).contains("after the outage")));
        assertThat(engine.stats().factoryErrors()).isEqualTo(3);
    }

    @Test
    void factoryErrorOnRerunIsCountedAndIsolatedToItsInstance() {
        AtomicBoolean fail = new AtomicBoolean();
        Graph fragile = Graph.builder("fragile").dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> {
                    if (fail.get()) {
                        throw new IllegalStateException("boom");
                    }
                    return new Result().addRowAndRef("items", "1", Map.of("id", "1", "label", label.get()));
                }).build();
        started(fragile, itemGraph("items").build());
        engine.subscribe(alice, "fragile", Map.of());
        engine.subscribe(alice, "items", Map.of("org_id", ORG));
        fail.set(true);
        label.set("two");
        engine.notify(Change.update("items", "1", null, "label"));
        Quiescence.await(engine, Duration.ofSeconds(5));

        assertThat(engine.stats().factoryErrors()).as("retries keep failing").isGreaterThanOrEqualTo(1);
        assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).hasSize(1);
        assertThat(engine.subscribe(alice, "fragile", Map.of()).tables().getJsonObject("items")
                .getJsonObject("1").getString("label")).as("the store holds the healthy instance's data").isEqualTo("two");
        assertThat(engine.isRunning()).isTrue();
    }

    @Test
    void changeArrivingDuringARunCausesExactlyOneMoreRun() throws Exception {
        CountDownLatch inRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean blockNext = new AtomicBoolean();
        Graph slow = Graph.builder("slow").dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> {
                    runs.incrementAndGet();
                    if (blockNext.getAndSet(false)) {
                        inRun.countDown();
                        release.await(5, TimeUnit.SECONDS);
                    }
                    return new Result().addRowAndRef("items", "1", Map.of("id", "1", "label", label.get()));
                }).build();
        started(slow);
        engine.subscribe(alice, "slow", Map.of());
        blockNext.set(true);
        engine.notify(Change.update("items", "1", null, "label"));
        assertThat(inRun.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            engine.notify(Change.update("items", "1", null, "label"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.stats().changes() == 11);
        release.countDown();
        Quiescence.await(engine, Duration.ofSeconds(5));

        assertThat(runs.get()).as("initial load, the blocked run, one more").isEqualTo(3);
    }

    @Test
    void singleChangeToAnIdleInstanceRunsWithoutWaitingForTheWindow() {
        startedOnClock(EngineConfig.builder().debounce(Duration.ofSeconds(60)).build());
        engine.subscribe(alice, "items", Map.of("org_id", ORG));
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        label.set("two");
        engine.notify(Change.update("items", "1", "acme", "label"));

        await().atMost(Duration.ofSeconds(3)).until(() -> runs.get() == 2);
        assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).hasSize(1);
    }

    @Test
    void changeRightAfterARunWaitsForTheWindowToCoalesce() {
        startedOnClock(EngineConfig.builder().debounce(Duration.ofMillis(300)).build());
        engine.subscribe(alice, "items", Map.of("org_id", ORG));
        long start = System.nanoTime();
        engine.notify(Change.update("items", "1", "acme", "label"));
        engine.notify(Change.update("items", "1", "acme", "label"));

        await().atMost(Duration.ofSeconds(3)).until(() -> runs.get() == 2);
        assertThat(System.nanoTime() - start).as("trailing run at the window's end")
                .isGreaterThanOrEqualTo(Duration.ofMillis(250).toNanos());
        Quiescence.await(engine, Duration.ofSeconds(3));
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void subscribesRacingTheGarbageCollectionOfTheirWorkspaceStayLive() throws Exception {
        started(itemGraph("items").build());
        int workspaces = 300;
        AtomicBoolean churning = new AtomicBoolean(true);
        Thread collector = new Thread(() -> {
            while (churning.get()) {
                engine.collectGarbage();
            }
        });
        collector.start();
        try {
            for (int w = 0; w < workspaces; w++) {
                // the workspace empties, the collector may retire it, and a new subscribe races that
                Identity leaving = new Identity("leaving-" + w, "u", "ws-" + w);
                Snapshot left = engine.subscribe(leaving, "items", Map.of("org_id", ORG));
                engine.unsubscribe(leaving, "items", left.paramsHash());
                engine.subscribe(new Identity("staying-" + w, "u", "ws-" + w), "items", Map.of("org_id", ORG));
            }
        } finally {
            churning.set(false);
            collector.join();
        }
        Quiescence.await(engine, Duration.ofSeconds(5));
        int before = runs.get();

        engine.notify(Change.update("items", "1", null, "label")); // every workspace's instance
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() - before == workspaces);
        assertThat(engine.workspaceCount()).isEqualTo(workspaces);
        assertThat(engine.stats().queryInstances()).isEqualTo(workspaces);
    }

    @Test
    void aSeanceWithoutCallsOrConnectionIsReleasedAfterItsIdleTtl() {
        startedOnClock(EngineConfig.builder().debounce(Duration.ZERO).seanceIdleTtl(Duration.ofMinutes(5)).build());
        Identity gone = new Identity("gone", "u1", "acme");
        Identity polling = new Identity("polling", "u2", "acme");
        Identity connected = new Identity("connected", "u3", "acme");
        for (Identity identity : List.of(gone, polling, connected)) {
            engine.subscribe(identity, "items", Map.of("org_id", ORG));
        }
        transport.held.add("connected");

        now.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(engine.active(polling)).hasSize(1); // the SDK's keep-alive
        engine.collectGarbage();
        assertThat(engine.stats().subscriptions()).as("nobody idle for 5 minutes yet").isEqualTo(3);

        now.addAndGet(Duration.ofMinutes(2).toNanos());
        engine.collectGarbage();

        assertThat(engine.active(gone)).as("released").isEmpty();
        assertThat(engine.active(polling)).as("called 2 minutes ago").hasSize(1);
        assertThat(engine.active(connected)).as("held by the transport").hasSize(1);
        assertThat(engine.stats().subscriptions()).isEqualTo(2);
        assertThat(engine.stats().queryInstances()).as("gone's instance went with it").isEqualTo(2);
    }

    @Test
    void aZeroIdleTtlNeverReleasesASeance() {
        startedOnClock(EngineConfig.builder().debounce(Duration.ZERO).seanceIdleTtl(Duration.ZERO).build());
        engine.subscribe(alice, "items", Map.of("org_id", ORG));

        now.addAndGet(Duration.ofDays(30).toNanos());
        engine.collectGarbage();

        assertThat(engine.stats().subscriptions()).isEqualTo(1);
    }

    @Test
    void statsCountGraphsSubscriptionsSeancesRowsAndRuns() {
        started(itemGraph("items").build());
        engine.subscribe(alice, "items", Map.of("org_id", ORG));
        engine.subscribe(alice, "items", Map.of("org_id", ORG, "limit", 5));
        engine.subscribe(new Identity("s2", "u1", "acme"), "items", Map.of("org_id", ORG));

        var stats = engine.stats();
        assertThat(stats.running()).isTrue();
        assertThat(stats.graphs()).isEqualTo(1);
        assertThat(stats.subscriptions()).isEqualTo(3);
        assertThat(stats.seances()).isEqualTo(2);
        assertThat(stats.queryInstances()).isEqualTo(2);
        assertThat(stats.storeRows()).isEqualTo(1);
        assertThat(stats.factoryRuns()).isEqualTo(2);
    }

    @Test
    void stopDisconnectsEverySeanceAndDropsState() {
        started(itemGraph("items").build());
        engine.subscribe(alice, "items", Map.of("org_id", ORG));
        engine.stop();

        assertThat(transport.disconnected()).containsExactly("s1");
        assertThat(engine.stats().subscriptions()).isZero();
        assertThat(engine.stats().running()).isFalse();
    }
}
