package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The run policy of one query instance, on a fake clock: runs are handed to a queue the test
 * drains, pacing timers are recorded with their delay, and each run "takes" the time it is given.
 */
class CoalescerTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final Deque<Runnable> runQueue = new ArrayDeque<>();
    private final TimerRecorder timers = new TimerRecorder();
    private final AtomicInteger runs = new AtomicInteger();
    /** How long the next runs take on the fake clock. */
    private long runTakes = MS;
    /** Called inside each run (e.g. requests that arrive meanwhile). */
    private Runnable duringRun = () -> { };

    /** Records {@code schedule} calls instead of running them. */
    static final class TimerRecorder extends ScheduledThreadPoolExecutor {
        record Timer(Runnable task, long delayNanos) {
        }

        final List<Timer> timers = new ArrayList<>();

        TimerRecorder() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            timers.add(new Timer(command, unit.toNanos(delay)));
            return null;
        }
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private Coalescer coalescer(long minIntervalNanos) {
        Runnable task = () -> {
            runs.incrementAndGet();
            duringRun.run();
            now.addAndGet(runTakes);
        };
        return new Coalescer(task, minIntervalNanos, timers, runQueue::add, now::get);
    }

    /** Runs what is queued for the run executor, as a free run thread would. */
    private void drainRuns() {
        while (!runQueue.isEmpty()) {
            runQueue.poll().run();
        }
    }

    /** Lets the fake clock reach the last recorded timer and fires it. */
    private void fireTimer() {
        TimerRecorder.Timer timer = timers.timers.remove(timers.timers.size() - 1);
        now.addAndGet(timer.delayNanos());
        timer.task().run();
    }

    @Test
    void aRequestToAnIdleInstanceRunsAtOnce() {
        Coalescer coalescer = coalescer(0);
        coalescer.request();
        assertThat(coalescer.state()).isEqualTo(RunState.SCHEDULED);
        assertThat(timers.timers).as("no timer: straight to the run executor").isEmpty();
        drainRuns();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(coalescer.state()).isEqualTo(RunState.IDLE);
    }

    @Test
    void requestsDuringARunCauseExactlyOneMoreRunPacedByTheRunsOwnDuration() {
        Coalescer coalescer = coalescer(0);
        runTakes = 2 * MS;
        duringRun = () -> {
            for (int i = 0; i < 1_000; i++) {
                coalescer.request();
            }
        };
        coalescer.request();
        drainRuns();
        assertThat(coalescer.state()).isEqualTo(RunState.SCHEDULED);
        assertThat(timers.timers).singleElement().satisfies(timer ->
                assertThat(timer.delayNanos()).as("a cheap run re-runs one run's duration after it").isEqualTo(2 * MS));

        duringRun = () -> { };
        fireTimer();
        drainRuns();
        assertThat(runs.get()).isEqualTo(2);
        assertThat(coalescer.state()).isEqualTo(RunState.IDLE);
        assertThat(timers.timers).isEmpty();
    }

    @Test
    void anExpensiveInstanceSpendsAtMostHalfItsTimeRunning() {
        Coalescer coalescer = coalescer(0);
        runTakes = 100 * MS;
        long first = now.get();
        coalescer.request();
        drainRuns();
        coalescer.request(); // right after the run: waits as long as the run took
        assertThat(timers.timers).singleElement().satisfies(timer ->
                assertThat(timer.delayNanos()).isEqualTo(100 * MS));
        fireTimer();
        drainRuns();
        assertThat(now.get() - first).as("two runs of 100 ms took 300 ms").isEqualTo(300 * MS);
    }

    @Test
    void aRequestAfterThePaceRunsAtOnce() {
        Coalescer coalescer = coalescer(0);
        runTakes = 5 * MS;
        coalescer.request();
        drainRuns();
        now.addAndGet(5 * MS);
        coalescer.request();
        assertThat(timers.timers).isEmpty();
        drainRuns();
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void theMinimumIntervalIsAFloorBetweenStarts() {
        Coalescer coalescer = coalescer(300 * MS);
        long firstStart = now.get();
        coalescer.request();
        drainRuns(); // takes 1 ms
        coalescer.request();
        assertThat(timers.timers).singleElement().satisfies(timer ->
                assertThat(timer.delayNanos()).isEqualTo(299 * MS));
        fireTimer();
        assertThat(now.get() - firstStart).isEqualTo(300 * MS);
        drainRuns();
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void theStatesOfAnInstanceChangedDuringItsRun() {
        Coalescer coalescer = coalescer(0);
        List<RunState> seen = new ArrayList<>();
        duringRun = () -> {
            seen.add(coalescer.state());
            coalescer.request();
            seen.add(coalescer.state());
            duringRun = () -> seen.add(coalescer.state());
        };
        coalescer.request();
        seen.add(coalescer.state());
        drainRuns();
        seen.add(coalescer.state());
        fireTimer();
        drainRuns();
        seen.add(coalescer.state());
        assertThat(seen).containsExactly(RunState.SCHEDULED, RunState.RUNNING, RunState.RUNNING_AGAIN,
                RunState.SCHEDULED, RunState.RUNNING, RunState.IDLE);
    }

    @Test
    void runHereIfIdleRunsOnTheCallerOnlyWhenNothingIsUnderWay() {
        Coalescer coalescer = coalescer(0);
        assertThat(coalescer.runHereIfIdle()).isTrue();
        assertThat(runs.get()).isEqualTo(1);
        coalescer.request();
        assertThat(coalescer.runHereIfIdle()).as("a run is due").isFalse();
        fireTimer();
        drainRuns();
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void aCancelledInstanceNeverRunsAgainEvenWithARunQueued() {
        Coalescer coalescer = coalescer(0);
        coalescer.request();
        coalescer.cancel();
        drainRuns();
        coalescer.request();
        drainRuns();
        assertThat(runs.get()).isZero();
        assertThat(coalescer.state()).isEqualTo(RunState.CANCELLED);
        assertThat(coalescer.isIdle()).isTrue();
        assertThat(coalescer.runHereIfIdle()).isFalse();
    }

    @Test
    void concurrentRequestsNeverRunTwoRunsAtOnceAndTheLastRequestIsAnswered() throws Exception {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(4);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicInteger realRuns = new AtomicInteger();
        AtomicLong lastRequest = new AtomicLong();
        AtomicLong lastRunStart = new AtomicLong();
        try {
            Coalescer coalescer = new Coalescer(() -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                lastRunStart.set(System.nanoTime());
                realRuns.incrementAndGet();
                concurrent.decrementAndGet();
            }, 0, pool, System::nanoTime);
            int threads = 4;
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        coalescer.request();
                    }
                    long beforeLast = System.nanoTime();
                    coalescer.request();
                    lastRequest.accumulateAndGet(beforeLast, Math::max);
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(coalescer::isIdle);
            assertThat(maxConcurrent.get()).isEqualTo(1);
            assertThat(realRuns.get()).as("coalesced").isLessThan(20_000);
            assertThat(lastRunStart.get()).as("a run started after the last request").isGreaterThan(lastRequest.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
