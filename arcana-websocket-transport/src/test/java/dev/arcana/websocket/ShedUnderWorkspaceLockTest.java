package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Change;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.Snapshot;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.Push;
import dev.arcana.api.spi.PushType;
import dev.arcana.api.spi.Transport;
import dev.arcana.engine.ArcanaEngine;
import dev.arcana.engine.EngineConfig;
import dev.arcana.websocket.Fakes.FakeSink;
import dev.arcana.websocket.Fakes.ManualTimers;
import jakarta.json.Json;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The real engine and the real hub, with a grace period of 0: a slow consumer shed inside
 * {@code publish} (under the workspace lock) while a {@code subscribe} of its seance holds the
 * seance's lock and waits for that workspace lock. Releasing the seance in the publishing thread
 * deadlocked; the release must run later, on the hub's executor.
 */
class ShedUnderWorkspaceLockTest {
    private static final long BOUND_MS = 10_000;
    private static final int QUEUE_LIMIT = 2;

    private final ScheduledExecutorService engineExecutor = Executors.newScheduledThreadPool(2, daemons("engine"));
    private final ExecutorService hubExecutor = Executors.newFixedThreadPool(2, daemons("hub"));
    private final ExecutorService subscriber = Executors.newSingleThreadExecutor(daemons("subscriber"));
    private final AtomicReference<String> label = new AtomicReference<>("v0");
    private final Identity alice = new Identity("s-slow", "u1", "acme");
    private ArcanaEngine engine;
    private WebSocketHub hub;

    /** Runs {@link #beforePublish} once, under the workspace lock, then hands the deliveries to the hub. */
    private final class GatedTransport implements Transport {
        volatile Runnable beforePublish;

        @Override
        public void publish(List<Delivery> deliveries) {
            Runnable gate = beforePublish;
            beforePublish = null;
            if (gate != null) {
                gate.run();
            }
            hub.publish(deliveries);
        }

        @Override
        public boolean holdsSeance(String seanceId) {
            return hub.holdsSeance(seanceId);
        }
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.shutdown(1_000);
        }
        if (engine != null && engine.isRunning()) {
            // bounded: after a deadlock, stop would wait for the seance's lock forever
            ArcanaEngine stopping = engine;
            Thread stopper = daemons("stop").newThread(stopping::stop);
            stopper.start();
            try {
                stopper.join(BOUND_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        engineExecutor.shutdownNow();
        hubExecutor.shutdownNow();
        subscriber.shutdownNow();
    }

    @RepeatedTest(50)
    void aSlowConsumerShedWhileItsSeanceSubscribesNeitherDeadlocksNorLosesTheRelease() throws Exception {
        GatedTransport transport = new GatedTransport();
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(engineExecutor)
                .config(EngineConfig.builder().debounce(Duration.ZERO).build()).build();
        engine.register(Graph.builder("items")
                .param("limit", Param.integer().defaultValue(10))
                .dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> new Result().addRowAndRef("items", "1", Map.of("id", "1", "label", label.get())))
                .build());
        engine.start();
        hub = new WebSocketHub(WebSocketSettings.of(Map.of(
                WebSocketSettings.QUEUE_LIMIT, String.valueOf(QUEUE_LIMIT),
                WebSocketSettings.GRACE_PERIOD_MS, "0")), () -> engine,
                dev.arcana.ee.IdentityResolution.of(request -> Optional.of(alice)), new ManualTimers(), hubExecutor,
                hubExecutor);
        hub.start();

        FakeSink neverCompletes = new FakeSink(); // a client that stopped reading: sends never complete
        dev.arcana.websocket.Connection connection = hub.open("c-slow", neverCompletes,
                HandshakeIdentityRequest.of(Map.of(), Map.of(), null));
        engine.subscribe(alice, "items", Map.of("limit", 1));
        fillQueue(connection);

        AtomicReference<Thread> subscribing = new AtomicReference<>();
        AtomicReference<Thread.State> observed = new AtomicReference<>();
        CompletableFuture<Snapshot> second = new CompletableFuture<>();
        CompletableFuture<Void> published = new CompletableFuture<>();
        transport.beforePublish = () -> {
            // under the workspace lock: the subscribe takes the seance's lock, then blocks on this one
            subscriber.execute(() -> {
                subscribing.set(Thread.currentThread());
                try {
                    second.complete(engine.subscribe(alice, "items", Map.of("limit", 2)));
                } catch (RuntimeException e) {
                    second.completeExceptionally(e);
                }
            });
            observed.set(awaitBlocked(subscribing));
        };
        label.set("v1");
        engine.notify(Change.update("items", "1", "acme", "label"));

        assertThat(second.get(BOUND_MS, TimeUnit.MILLISECONDS)).as("the second subscribe finishes").isNotNull();
        assertThat(observed.get()).as("the subscribe waited for the workspace lock during the publish")
                .isEqualTo(Thread.State.BLOCKED);
        assertThat(connection.out().state()).isNotEqualTo(OutboundQueue.State.OPEN);
        assertThat(hub.seance(alice.seanceId())).isEmpty();
    }

    /** Fills the connection's queue up to its limit (one send stays in flight forever). */
    private void fillQueue(dev.arcana.websocket.Connection connection) {
        AtomicInteger n = new AtomicInteger();
        while (connection.out().size() < QUEUE_LIMIT) {
            hub.publish(List.of(Delivery.toSeance(alice.seanceId(), new Push(PushType.TABLE_DIFF,
                    Json.createObjectBuilder().add("n", n.incrementAndGet()).build()))));
            assertThat(n.get()).isLessThan(100);
        }
        assertThat(connection.out().state()).isEqualTo(OutboundQueue.State.OPEN);
    }

    private static Thread.State awaitBlocked(AtomicReference<Thread> thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Thread t = thread.get();
            if (t != null && t.getState() == Thread.State.BLOCKED) {
                return Thread.State.BLOCKED;
            }
            Thread.onSpinWait();
        }
        Thread t = thread.get();
        return t == null ? null : t.getState();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "test-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true); // a deadlocked run must not keep the test JVM alive
            return thread;
        };
    }

    /** Factories compute from memory: any connection attempt fails. */
    private static final class NoDatabase implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("no database in this test");
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
