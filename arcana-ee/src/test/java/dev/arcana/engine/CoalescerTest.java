package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescerTest {
    private static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(200);
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
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

    /** A request every 2 ms for {@code millis}, then until the last run is done. */
    private static void requestSteadilyFor(Coalescer coalescer, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            coalescer.request();
            Thread.sleep(2); // the pace of the stream of requests, not a wait for a result
        }
        await().atMost(Duration.ofSeconds(2)).until(coalescer::isIdle);
    }

    @Test
    void idleTaskRunsAtOnceWithoutWaitingForTheWindow() {
        AtomicLong ranAt = new AtomicLong();
        Coalescer coalescer = new Coalescer(() -> ranAt.set(System.nanoTime()), TimeUnit.SECONDS.toNanos(10),
                executor, System::nanoTime);
        long requested = System.nanoTime();
        coalescer.request();
        await().atMost(Duration.ofSeconds(2)).until(() -> ranAt.get() != 0);
        assertThat(ranAt.get() - requested).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void debouncedRunsTooRunOnTheRunExecutorNotOnTheTimersThread() {
        java.util.concurrent.ExecutorService runPool = Executors.newSingleThreadExecutor(task -> new Thread(task, "run-x"));
        java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            Coalescer coalescer = new Coalescer(() -> threads.add(Thread.currentThread().getName()), WINDOW, 1,
                    executor, runPool, System::nanoTime);
            coalescer.request(); // leading run: at once
            await().atMost(Duration.ofSeconds(2)).until(() -> threads.size() == 1 && coalescer.isIdle());
            coalescer.request(); // inside the window: the timer fires it later
            await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 2 && coalescer.isIdle());
            assertThat(threads).containsExactly("run-x", "run-x");
        } finally {
            runPool.shutdownNow();
        }
    }

    @Test
    void thousandRequestsInOneWindowCauseAtMostTwoRuns() {
        Coalescer coalescer = new Coalescer(countingTask(new CountDownLatch(0)), WINDOW, executor, System::nanoTime);
        for (int i = 0; i < 1_000; i++) {
            coalescer.request();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 1 && coalescer.isIdle());
        // Requests made before the leading run starts join it; the rest make one trailing run.
        assertThat(runs.get()).isBetween(1, 2);
    }

    @Test
    void requestDuringARunCausesExactlyOneMoreRun() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Coalescer coalescer = new Coalescer(countingTask(gate), 0, executor, System::nanoTime);
        coalescer.request();
        await().atMost(Duration.ofSeconds(2)).until(() -> concurrent.get() == 1);
        coalescer.request();
        coalescer.request();
        coalescer.request();
        gate.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2 && coalescer.isIdle());
        assertThat(runs.get()).isEqualTo(2);
        assertThat(maxConcurrent.get()).as("never two runs at once").isEqualTo(1);
    }

    @Test
    void steadyStreamOfRequestsStillRunsOncePerWindow() throws Exception {
        Coalescer coalescer = new Coalescer(countingTask(new CountDownLatch(0)), WINDOW, executor, System::nanoTime);
        requestSteadilyFor(coalescer, 1_100);
        // A sliding debounce would run once at the end; a bounded one runs about every window.
        assertThat(runs.get()).isBetween(4, 8);
    }

    @Test
    void aBurstLetsChangesRightAfterARunThroughUntilTheTokensAreSpent() {
        AtomicLong now = new AtomicLong();
        long window = TimeUnit.SECONDS.toNanos(10);
        Coalescer coalescer = new Coalescer(countingTask(new CountDownLatch(0)), window, 2, executor, now::get);
        coalescer.request();
        await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 1 && coalescer.isIdle());

        coalescer.request(); // the second token: at once, although within the window
        await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 2 && coalescer.isIdle());

        coalescer.request(); // no token left: waits for the window (10 s on the real scheduler)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 2);
        assertThat(coalescer.isIdle()).as("a trailing run is scheduled").isFalse();
    }

    @Test
    void aQuietSpellRefillsTheBurst() {
        AtomicLong now = new AtomicLong();
        long window = TimeUnit.SECONDS.toNanos(10);
        Coalescer coalescer = new Coalescer(countingTask(new CountDownLatch(0)), window, 2, executor, now::get);
        for (int i = 1; i <= 2; i++) {
            coalescer.request();
            int expected = i;
            await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == expected && coalescer.isIdle());
        }
        now.addAndGet(2 * window); // quiet for two windows: both tokens are back

        for (int i = 3; i <= 4; i++) {
            coalescer.request();
            int expected = i;
            await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == expected && coalescer.isIdle());
        }
        coalescer.request();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 4);
    }

    @Test
    void aBurstDoesNotRaiseTheSteadyRateOfOneRunPerWindow() throws Exception {
        Coalescer coalescer = new Coalescer(countingTask(new CountDownLatch(0)), WINDOW, 3, executor, System::nanoTime);
        requestSteadilyFor(coalescer, 1_100);
        // 3 tokens at first, then one per 200 ms window over 1.1 s: about 3 + 5
        assertThat(runs.get()).isBetween(6, 10);
    }

    @Test
    void cancelledCoalescerNeverRunsAgain() {
        Coalescer coalescer = new Coalescer(countingTask(new CountDownLatch(0)), WINDOW, executor, System::nanoTime);
        coalescer.request();
        await().atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 1 && coalescer.isIdle());
        coalescer.request();
        coalescer.cancel();
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 1);
        assertThat(runs.get()).isEqualTo(1);
    }
}
