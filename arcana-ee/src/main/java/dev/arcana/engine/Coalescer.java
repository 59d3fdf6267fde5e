package dev.arcana.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs one task on demand with the engine's debounce policy (ARCHITECTURE decision 3):
 * <ul>
 * <li>leading edge: a request to an idle task whose last run started at least one window ago
 * runs it at once;</li>
 * <li>requests within the window after a run's start coalesce into one trailing run at the
 * window's end;</li>
 * <li>single flight: never two runs at once; a request during a run causes exactly one more
 * run, no earlier than a window after the current run started.</li>
 * </ul>
 * Latency is bounded by the window plus one run, however steady the stream of requests.
 */
final class Coalescer implements RunScheduler {
    private final Runnable task;
    private final long windowNanos;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;

    private boolean running;
    private boolean scheduled;
    private boolean pending;
    private boolean cancelled;
    private boolean everRan;
    private long lastStart;

    Coalescer(Runnable task, long windowNanos, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this.task = task;
        this.windowNanos = windowNanos;
        this.executor = scheduler;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
    }

    @Override
    public void request() {
        long delay;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            if (running) {
                pending = true;
                return;
            }
            if (scheduled) {
                return;
            }
            scheduled = true;
            delay = delayFromNow();
        }
        dispatch(delay);
    }

    @Override
    public synchronized void cancel() {
        cancelled = true;
    }

    @Override
    public synchronized boolean isIdle() {
        return !running && !scheduled && !pending;
    }

    private long delayFromNow() {
        return everRan ? lastStart + windowNanos - nanoTime.getAsLong() : 0;
    }

    private void dispatch(long delayNanos) {
        try {
            if (delayNanos <= 0) {
                executor.execute(this::run);
            } else {
                scheduler.schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException e) {
            // The executor is shutting down with the engine: nothing will run any more.
            cancel();
        }
    }

    @Override
    public boolean runHereIfIdle() {
        synchronized (this) {
            if (cancelled || running || scheduled || pending) {
                return false;
            }
            begin();
        }
        runAndFollowUp();
        return true;
    }

    private void run() {
        synchronized (this) {
            scheduled = false;
            if (cancelled) {
                return;
            }
            begin();
        }
        runAndFollowUp();
    }

    /** Marks a run as started; the caller holds the monitor. */
    private void begin() {
        running = true;
        pending = false;
        everRan = true;
        lastStart = nanoTime.getAsLong();
    }

    private void runAndFollowUp() {
        try {
            task.run();
        } finally {
            boolean again = false;
            long delay = 0;
            synchronized (this) {
                running = false;
                if (pending && !cancelled) {
                    pending = false;
                    scheduled = true;
                    again = true;
                    delay = delayFromNow();
                }
            }
            if (again) {
                dispatch(delay);
            }
        }
    }
}
