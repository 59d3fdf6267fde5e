package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.Change;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncRequest;
import dev.arcana.api.TableDependency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one identity may make the engine hold: subscriptions and seances per identity, instances per workspace, views per sync. */
class EngineCapsTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final RecordingTransport transport = new RecordingTransport();
    private final AtomicInteger runs = new AtomicInteger();
    private ArcanaEngine engine;

    @AfterEach
    void stop() {
        if (engine != null && engine.isRunning()) {
            engine.stop();
        }
        executor.shutdownNow();
    }

    private void started(int perSeance, EngineConfig.Caps caps) {
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor)
                .config(EngineConfig.builder().debounce(Duration.ZERO).maxSubscriptionsPerSeance(perSeance).caps(caps)
                        .build())
                .build();
        engine.register(Graph.builder("tasks")
                .param("limit", Param.integer().defaultValue(10))
                .dependsOn(TableDependency.of("tasks", "title"))
                .factory(ctx -> {
                    runs.incrementAndGet();
                    return new Result().addRowAndRef("tasks", "1", Map.of("id", "1"));
                })
                .build());
        engine.start();
    }

    private static Map<String, Object> limit(int value) {
        return Map.of("limit", value);
    }

    @Test
    void subscriptionsPerIdentityCountAcrossSeancesAndComeBackWhenReleased() {
        started(3, new EngineConfig.Caps(5, 10, 100, 0));
        Identity first = new Identity("s1", "u1", "acme");
        Identity second = new Identity("s2", "u1", "acme");
        for (int i = 0; i < 3; i++) {
            engine.subscribe(first, "tasks", limit(i));
        }
        Snapshot last = null;
        for (int i = 0; i < 2; i++) {
            last = engine.subscribe(second, "tasks", limit(10 + i));
        }

        assertRefused(() -> engine.subscribe(second, "tasks", limit(20)), ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                "subscription limit of 5 per user and workspace reached");
        engine.subscribe(second, "tasks", limit(11)); // already held: answered, not counted again
        engine.subscribe(new Identity("s3", "u2", "acme"), "tasks", limit(30)); // another user is not affected
        engine.subscribe(new Identity("s4", "u1", "globex"), "tasks", limit(30)); // nor the same user elsewhere

        engine.unsubscribe(second, "tasks", last.paramsHash());
        engine.subscribe(second, "tasks", limit(20));
        engine.releaseSeance("s1"); // gives its 3 back
        Identity third = new Identity("s5", "u1", "acme");
        for (int i = 0; i < 3; i++) {
            engine.subscribe(third, "tasks", limit(40 + i));
        }
        assertRefused(() -> engine.subscribe(new Identity("s6", "u1", "acme"), "tasks", limit(50)),
                ErrorCode.TOO_MANY_SUBSCRIPTIONS, "subscription limit of 5 per user and workspace reached");
        assertThat(engine.quotas().seances(third.owner())).as("the refused s6 holds no seance").isEqualTo(2);
    }

    @Test
    void seancesPerIdentityAreCappedForSubscribesAndClaims() {
        started(10, new EngineConfig.Caps(100, 2, 100, 0));
        engine.subscribe(new Identity("s1", "u1", "acme"), "tasks", limit(1));
        engine.claimSeance(new Identity("s2", "u1", "acme"));

        assertRefused(() -> engine.subscribe(new Identity("s3", "u1", "acme"), "tasks", limit(1)),
                ErrorCode.TOO_MANY_SEANCES, "seance limit of 2 per user and workspace reached");
        assertRefused(() -> engine.claimSeance(new Identity("s3", "u1", "acme")), ErrorCode.TOO_MANY_SEANCES,
                "seance limit of 2 per user and workspace reached");
        engine.subscribe(new Identity("s4", "u2", "acme"), "tasks", limit(1)); // another user is not affected

        engine.releaseSeance("s2");
        engine.subscribe(new Identity("s3", "u1", "acme"), "tasks", limit(1));
    }

    @Test
    void instancesPerWorkspaceAreCappedWhileSharedInstancesStillServe() {
        started(10, new EngineConfig.Caps(100, 100, 3, 0));
        for (int i = 0; i < 3; i++) {
            engine.subscribe(new Identity("s" + i, "u1", "acme"), "tasks", limit(i));
        }
        assertRefused(() -> engine.subscribe(new Identity("s8", "u1", "acme"), "tasks", limit(9)),
                ErrorCode.TOO_MANY_INSTANCES, "live query limit of 3 per workspace reached");

        engine.subscribe(new Identity("s8", "u1", "acme"), "tasks", limit(1)); // an existing instance is shared
        engine.subscribe(new Identity("s9", "u1", "globex"), "tasks", limit(9)); // another workspace is not affected
        assertThat(engine.stats().queryInstances()).isEqualTo(4);
        assertThat(engine.active(new Identity("s8", "u1", "acme"))).hasSize(1);
    }

    @Test
    void aSyncCarriesAtMostTheConfiguredViews() {
        started(4, new EngineConfig.Caps(100, 100, 100, 0)); // 0: as many as a seance may hold
        Identity identity = new Identity("s1", "u1", "acme");
        List<SyncRequest> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(new SyncRequest("tasks", "h" + i, 0, limit(i)));
        }
        assertRefused(() -> engine.sync(identity, five), ErrorCode.TOO_MANY_VIEWS, "a sync may carry at most 4 views");
        assertThat(engine.sync(identity, five.subList(0, 4))).hasSize(4);
        assertThat(engine.stats().subscriptions()).isEqualTo(4);
    }

    @Test
    void tenSeancesTimesHundredParamsFromOneIdentityStopAtItsCapAndAChangeCostsAtMostThatManyRuns() {
        started(100, EngineConfig.Caps.defaults());
        int refused = 0;
        for (int seance = 0; seance < 10; seance++) {
            for (int i = 0; i < 100; i++) {
                try {
                    engine.subscribe(new Identity("s" + seance, "user-a", "acme"), "tasks", limit(seance * 100 + i));
                } catch (ArcanaException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_SUBSCRIPTIONS);
                    refused++;
                }
            }
        }
        int cap = EngineConfig.Caps.DEFAULT_SUBSCRIPTIONS_PER_IDENTITY;
        assertThat(refused).isEqualTo(1000 - cap);
        assertThat(engine.stats().queryInstances()).isEqualTo(cap);
        Quiescence.await(engine, Duration.ofSeconds(10));
        int before = runs.get();

        engine.notify(Change.update("tasks", "1", "acme", "title"));
        Quiescence.await(engine, Duration.ofSeconds(10));
        assertThat(runs.get() - before).isEqualTo(cap);
    }

    @Test
    void concurrentSubscribesUnsubscribesAndReleasesLeaveNoQuotaBehind() throws Exception {
        started(20, new EngineConfig.Caps(50, 4, 1000, 0));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int thread = t;
            work.add(callers.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    Identity identity = new Identity("s" + (i % 6), "u1", "acme");
                    try {
                        Snapshot snapshot = engine.subscribe(identity, "tasks", limit((thread * 7 + i) % 30));
                        if (i % 3 == 0) {
                            engine.unsubscribe(identity, "tasks", snapshot.paramsHash());
                        } else if (i % 5 == 0) {
                            engine.releaseSeance(identity.seanceId());
                        }
                    } catch (ArcanaException e) {
                        if (e.code() != ErrorCode.TOO_MANY_SEANCES && e.code() != ErrorCode.TOO_MANY_SUBSCRIPTIONS
                                && e.code() != ErrorCode.NOT_FOUND) {
                            unexpected.add(e);
                        }
                    }
                }
            }));
        }
        for (Future<?> future : work) {
            future.get(30, TimeUnit.SECONDS);
        }
        callers.shutdown();
        assertThat(unexpected).isEmpty();
        Identity.Owner owner = new Identity("x", "u1", "acme").owner();
        assertThat(engine.quotas().subscriptions(owner)).isEqualTo(engine.stats().subscriptions());
        for (int s = 0; s < 6; s++) {
            engine.releaseSeance("s" + s);
        }
        assertThat(engine.quotas().subscriptions(owner)).isZero();
        assertThat(engine.quotas().seances(owner)).isZero();
        assertThat(engine.stats().queryInstances()).isZero();
    }

    private static void assertRefused(ThrowableAssert.ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ArcanaException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.code().httpStatus()).isEqualTo(429);
                })
                .hasMessage(message);
    }
}
