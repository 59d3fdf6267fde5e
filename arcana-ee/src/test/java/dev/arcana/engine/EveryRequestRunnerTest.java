package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EveryRequestRunnerTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private Runnable countingTask(CountDownLatch gate) {
        return () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            runs.incrementAndGet();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
            }
        };
    }

    @Test
    void everyRequestCausesExactlyOneRunAndRunsNeverOverlap() {
        CountDownLatch gate = new CountDownLatch(1);
        EveryRequestRunner runner = new EveryRequestRunner(countingTask(gate), executor);
        for (int i = 0; i < 100; i++) {
            runner.request();
        }
        assertThat(runner.isIdle()).isFalse();
        gate.countDown();

        await().atMost(Duration.ofSeconds(5)).until(runner::isIdle);
        assertThat(runs.get()).isEqualTo(100);
        assertThat(maxConcurrent.get()).isEqualTo(1);
    }

    @Test
    void cancelledRunnerDropsQueuedRequestsAndIgnoresNewOnes() {
        CountDownLatch gate = new CountDownLatch(1);
        EveryRequestRunner runner = new EveryRequestRunner(countingTask(gate), executor);
        runner.request();
        runner.request();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
        runner.cancel();
        runner.request();
        gate.countDown();

        await().atMost(Duration.ofSeconds(5)).until(runner::isIdle);
        assertThat(runs.get()).as("only the run in progress when cancelled").isEqualTo(1);
    }
}
