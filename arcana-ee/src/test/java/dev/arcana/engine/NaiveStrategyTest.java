package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcana.api.Change;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Result;
import dev.arcana.api.Sharing;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.PushType;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The naive strategy, the benchmarks' baseline: one query instance per subscription and one run per
 * change, against the shared strategy on the same workload.
 */
class NaiveStrategyTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final RecordingTransport transport = new RecordingTransport();
    private final AtomicReference<String> label = new AtomicReference<>("one");
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Identity> seances = List.of(new Identity("s1", "u1", "acme"),
            new Identity("s2", "u2", "acme"), new Identity("s3", "u3", "acme"));
    private ArcanaEngine engine;

    @AfterEach
    void stop() {
        if (engine != null && engine.isRunning()) {
            engine.stop();
        }
        executor.shutdownNow();
    }

    private ArcanaEngine started(Strategy strategy, Duration debounce) {
        Graph items = Graph.builder("items").sharing(Sharing.WORKSPACE).dependsOn(TableDependency.of("items", "label").tenantColumn("ws"))
                .factory(ctx -> {
                    runs.incrementAndGet();
                    String value = label.get();
                    return new Result().addRowAndRef("items", "1", Map.of("id", "1", "label", value))
                            .addRowAndRef("items", value, Map.of("id", value, "label", value));
                }).build();
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor)
                .config(EngineConfig.builder().debounce(debounce).strategy(strategy).build()).build();
        engine.register(items);
        engine.start();
        for (Identity seance : seances) {
            engine.subscribe(seance, "items", Map.of());
        }
        return engine;
    }

    private void change(int count) {
        for (int i = 0; i < count; i++) {
            label.set("v" + i);
            engine.notify(Change.update("items", "1", "acme", "label"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.stats().changes() == count);
        Quiescence.await(engine, Duration.ofSeconds(5));
    }

    @Test
    void naiveGivesEverySubscriptionItsOwnInstanceAndRunsEachOncePerChange() {
        started(Strategy.NAIVE, Duration.ofMillis(300));
        assertThat(engine.stats().queryInstances()).isEqualTo(3);
        assertThat(runs.get()).as("one first load per subscription").isEqualTo(3);

        change(5);

        assertThat(runs.get()).as("3 first loads + 3 subscriptions x 5 changes, nothing coalesced").isEqualTo(18);
    }

    @Test
    void sharedRunsOneInstanceForAllSubscribersAndCoalescesABurst() {
        started(Strategy.SHARED, Duration.ofMillis(300));
        assertThat(engine.stats().queryInstances()).isEqualTo(1);

        change(5);

        // the 300 ms floor after the first load's start: one trailing run takes the changes (a loop slowed past the
        // floor by a loaded machine earns one more)
        assertThat(runs.get()).as("first load, then one trailing run").isBetween(2, 3);
    }

    @Test
    void naiveSubscribersEndWithTheSameStateAsSharedOnes() {
        started(Strategy.NAIVE, Duration.ZERO);
        change(4);

        for (Identity seance : seances) {
            List<JsonObject> diffs = transport.toSeance(seance.seanceId(), PushType.VIEW_DIFF);
            assertThat(diffs).as("view diffs of %s", seance.seanceId()).isNotEmpty();
            assertThat(diffs.get(diffs.size() - 1).getInt("version")).as("one version per diff, per seance")
                    .isEqualTo(diffs.size() + 1);
        }
        JsonObject last = transport.toSeance("s2", PushType.VIEW_DIFF).get(transport.toSeance("s2",
                PushType.VIEW_DIFF).size() - 1);
        assertThat(last.getJsonObject("tables").getJsonObject("items").keySet()).containsExactly("v3");
    }
}
