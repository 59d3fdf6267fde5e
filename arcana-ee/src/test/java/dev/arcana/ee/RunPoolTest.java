package dev.arcana.ee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import dev.arcana.engine.ArcanaEngine;
import dev.arcana.engine.EngineConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunPoolTest {
    private final ScheduledExecutorService shared = Executors.newScheduledThreadPool(1,
            r -> new Thread(r, "shared"));
    private RunPool pool;

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.shutdown(1_000);
        }
        shared.shutdownNow();
    }

    @Test
    void factoriesRunOnNamedRunThreadsAndABlockedOneLeavesTheSharedExecutorFree() throws Exception {
        pool = new RunPool(2, Executors.defaultThreadFactory());
        AtomicReference<String> ranOn = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean block = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch blocked = new CountDownLatch(1);
        ArcanaEngine engine = ArcanaEngine.builder().dataSource(new javax.sql.DataSource() {
                    public java.sql.Connection getConnection() throws java.sql.SQLException {
                        throw new java.sql.SQLException("no database");
                    }
                    public java.sql.Connection getConnection(String u, String p) throws java.sql.SQLException {
                        throw new java.sql.SQLException("no database");
                    }
                    public java.io.PrintWriter getLogWriter() {
                        return null;
                    }
                    public void setLogWriter(java.io.PrintWriter out) {
                    }
                    public void setLoginTimeout(int seconds) {
                    }
                    public int getLoginTimeout() {
                        return 0;
                    }
                    public java.util.logging.Logger getParentLogger() {
                        return java.util.logging.Logger.getGlobal();
                    }
                    public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
                        throw new java.sql.SQLException("not a wrapper");
                    }
                    public boolean isWrapperFor(Class<?> iface) {
                        return false;
                    }
                }).transport(deliveries -> { }).executor(shared).runExecutor(pool)
                .config(EngineConfig.builder().debounce(Duration.ZERO).build()).build();
        engine.register(Graph.builder("items").dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> {
                    ranOn.set(Thread.currentThread().getName());
                    return new Result().addRowAndRef("items", "1", Map.of("id", "1"));
                }).build());
        engine.register(Graph.builder("stuck").dependsOn(TableDependency.of("items", "label"))
                .factory(ctx -> {
                    if (!block.get()) {
                        return new Result();
                    }
                    blocked.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new Result();
                }).build());
        engine.start();
        try {
            engine.subscribe(new Identity("s2", "u", "acme"), "stuck", Map.of());
            engine.subscribe(new Identity("s1", "u", "acme"), "items", Map.of()); // first loads run in the caller
            block.set(true);
            engine.notify(dev.arcana.api.Change.update("items", "1", "acme", "label"));

            assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!String.valueOf(ranOn.get()).startsWith("arcana-run-") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(ranOn.get()).startsWith("arcana-run-");
            // the shared executor (timers, transports' I/O) is not occupied by the stuck factory
            assertThat(shared.submit(() -> "free").get(2, TimeUnit.SECONDS)).isEqualTo("free");
        } finally {
            release.countDown();
            engine.stop();
        }
    }

    @Test
    void thePoolIsBoundedAndItsShutdownWaitsABoundedTime() throws Exception {
        pool = new RunPool(2, Executors.defaultThreadFactory());
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> {
                names.add(Thread.currentThread().getName());
                running.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.threads()).isEqualTo(2);
        assertThat(names).containsExactlyInAnyOrderElementsOf(List.of("arcana-run-1", "arcana-run-2"));

        long begin = System.nanoTime();
        pool.shutdown(300);
        long tookMs = (System.nanoTime() - begin) / 1_000_000;
        assertThat(tookMs).isBetween(250L, 3_000L);
        assertThat(pool.isTerminated() || awaitTerminated(pool)).isTrue();
    }

    private static boolean awaitTerminated(RunPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!pool.isTerminated() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return pool.isTerminated();
    }
}
