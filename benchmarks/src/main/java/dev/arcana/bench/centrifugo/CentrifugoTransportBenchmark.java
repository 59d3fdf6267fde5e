package dev.arcana.bench.centrifugo;

import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.Push;
import dev.arcana.api.spi.PushType;
import dev.arcana.centrifugo.CentrifugoClient;
import dev.arcana.centrifugo.CentrifugoSettings;
import dev.arcana.centrifugo.FakeCentrifugo;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Messages per second through the Centrifugo transport into the in-process fake Centrifugo server
 * (a faithful local implementation of the published server API, over real loopback HTTP): one
 * operation is one message. Each invocation publishes {@value #INVALIDATIONS} invalidations of
 * {@value #MESSAGES} pushes each (one table_diff to the workspace, the rest view_diffs to distinct
 * seances) and waits until Centrifugo accepted all of them. {@code batch=true}: one
 * {@code /api/batch} per invalidation; {@code false}: one {@code /api/publish} per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CentrifugoTransportBenchmark {
    static final int INVALIDATIONS = 20;
    static final int MESSAGES = 10;
    private static final String KEY = "bench-key";

    @Param({"true", "false"})
    public boolean batch;


    private FakeCentrifugo centrifugo;
    private ScheduledExecutorService executor;
    private CentrifugoClient client;
    private List<List<Delivery>> invalidations;
    private long target;

    @Setup(Level.Trial)
    public void start() throws Exception {
        centrifugo = FakeCentrifugo.start(0, KEY, Set.of("workspace", "views"));
        executor = Executors.newScheduledThreadPool(2);
        client = CentrifugoClient.create(CentrifugoSettings.of(Map.of(
                CentrifugoSettings.URL, centrifugo.baseUrl().toString(),
                CentrifugoSettings.API_KEY, KEY,
                CentrifugoSettings.BATCH, Boolean.toString(batch))), executor);
        invalidations = new ArrayList<>();
        for (int i = 0; i < INVALIDATIONS; i++) {
            List<Delivery> deliveries = new ArrayList<>();
            deliveries.add(Delivery.toWorkspace("ws" + i, new Push(PushType.TABLE_DIFF, Json.createObjectBuilder()
                    .add("table", "tasks").add("id", "t" + i).add("ver", 2)
                    .add("patch", Json.createArrayBuilder().add(Json.createObjectBuilder().add("op", "replace")
                            .add("path", "/title").add("value", "a title of some length"))).build())));
            for (int m = 1; m < MESSAGES; m++) {
                deliveries.add(Delivery.toSeance("s" + i + "-" + m, new Push(PushType.VIEW_DIFF,
                        Json.createObjectBuilder().add("view", "task_list").add("params_hash", "0123456789abcdef")
                                .add("version", 2).add("refs_patch", Json.createArrayBuilder()
                                        .add(Json.createObjectBuilder().add("op", "remove").add("path", "/3"))).build())));
            }
            invalidations.add(List.copyOf(deliveries));
        }
    }

    @Setup(Level.Iteration)
    public void forget() {
        centrifugo.reset(); // the fake records every publication: keep memory flat
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        centrifugo.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        if (client.stats().dropped() > 0) {
            throw new IllegalStateException("messages were dropped: " + client.stats());
        }
    }

    @Benchmark
    @OperationsPerInvocation(INVALIDATIONS * MESSAGES)
    public long publish() {
        target += (long) INVALIDATIONS * MESSAGES;
        for (List<Delivery> invalidation : invalidations) {
            client.publish(invalidation);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.stats().published() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not delivered within 30 s: " + client.stats());
            }
            LockSupport.parkNanos(500_000); // a coarse poll: a spinning waiter would steal a core from the sender
        }
        return target;
    }
}
