package dev.arcana.bench;

import dev.arcana.api.Change;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.Sharing;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.api.spi.ChangeSink;
import dev.arcana.api.spi.DetectorStatus;
import dev.arcana.api.spi.Transport;
import dev.arcana.engine.ArcanaEngine;
import dev.arcana.engine.EngineConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Routing one committed change through the engine's invalidator (the ChangeSink a detector feeds):
 * to a workspace holding {@code instances} live query instances of the changed table, and to a
 * workspace holding none (the change is discarded without a factory run). The debounce window is
 * one hour, so after the first change every instance is already scheduled and no factory runs
 * during the measurement: the score is the marking cost alone. {@code workspaces} other tenants
 * hold one live instance each: routing should not depend on how many there are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InvalidationFanInBenchmark {

    @org.openjdk.jmh.annotations.Param({"1", "100", "10000"})
    int instances;

    /** Further workspaces, each with one live instance (a server with many tenants). */
    @org.openjdk.jmh.annotations.Param({"1", "1000"})
    int workspaces;

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
    private ArcanaEngine engine;
    private ChangeSink sink;
    private List<Change> toLiveWorkspace;
    private List<Change> toIdleWorkspace;

    @Setup(Level.Trial)
    public void prepare() {
        DataSource noDatabase = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("the benchmark's factories never query");
                });
        Transport discard = new Transport() {
            @Override
            public void publish(List<dev.arcana.api.spi.Delivery> batch) {
            }

            @Override
            public void disconnectSeance(String seanceId) {
            }
        };
        ChangeDetector capture = new ChangeDetector() {
            @Override
            public void start(ChangeSink changeSink) {
                sink = changeSink;
            }

            @Override
            public void stop() {
            }

            @Override
            public DetectorStatus status() {
                return new DetectorStatus("benchmark", "up", 0, "");
            }
        };
        engine = ArcanaEngine.builder().dataSource(noDatabase).transport(discard).executor(executor)
                .changeDetector(capture)
                .config(EngineConfig.builder().debounce(Duration.ofHours(1))
                        .maxSubscriptionsPerSeance(1_000_000).build())
                .build();
        engine.register(Graph.builder("tasks").sharing(Sharing.WORKSPACE)
                .param("page", Param.integer().defaultValue(0))
                .dependsOn(TableDependency.of("tasks", "title").tenantColumn("workspace_id"))
                .factory(ctx -> new Result().addRowAndRef("tasks", "t" + ctx.params().longValue("page"),
                        Map.of("id", "t" + ctx.params().longValue("page"), "title", "x")))
                .build());
        engine.start();
        Identity live = new Identity("s-live", "u", "live");
        for (int i = 0; i < instances; i++) {
            engine.subscribe(live, "tasks", Map.of("page", i));
        }
        for (int w = 0; w < workspaces; w++) {
            engine.subscribe(new Identity("s-other-" + w, "u", "other-" + w), "tasks", Map.of());
        }
        toLiveWorkspace = List.of(Change.update("tasks", "t0", "live", "title"));
        toIdleWorkspace = List.of(Change.update("tasks", "t-unheld", "idle", "title"));
        sink.accept(toLiveWorkspace);
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.stop();
        executor.shutdownNow();
    }

    @Benchmark
    public void changeToWorkspaceWithLiveInstances() {
        sink.accept(toLiveWorkspace);
    }

    @Benchmark
    public void changeTouchingNoLiveView() {
        sink.accept(toIdleWorkspace);
    }
}
