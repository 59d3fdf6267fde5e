package dev.arcana.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs one task on demand with the engine's debounce policy (ARCHITECTURE decision 3, refined as
 * the README's "How it works" says): a token bucket of {@code burst} runs, refilled one run per window.
 * <ul>
 * <li>leading edge: a request to an idle task with a token left runs it at once. Tokens come back
 * one per window, so runs more than a window apart never wait, and a second change shortly after
 * a run does not wait for the window either (with {@code burst = 1}: the plain leading-edge
 * window);</li>
 * <li>without a token, requests coalesce into one trailing run when the next token is due;</li>
 * <li>single flight: never two runs at once; a request during a run causes exactly one more run,
 * when a token is due.</li>
 * </ul>
 * Under a steady stream of requests the task runs once per window, whatever {@code burst}; latency
 * is bounded by the window plus one run. The bucket is kept as the theoretical arrival time of the
 * next run ({@code due}, GCRA): a run may start at {@code due - (burst - 1) * window}.
 */
final class Coalescer implements RunScheduler {
    private final Runnable task;
    private final long windowNanos;
    private final long burstAllowanceNanos;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;

    private boolean running;
    private boolean scheduled;
    private boolean pending;
    private boolean cancelled;
    private boolean everRan;
    private long due;

    /** A coalescer with a burst of one run: requests within a window after a run's start wait for its end. */
    Coalescer(Runnable task, long windowNanos, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this(task, windowNanos, 1, scheduler, nanoTime);
    }

    Coalescer(Runnable task, long windowNanos, int burst, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this(task, windowNanos, burst, scheduler, scheduler, nanoTime);
    }

    /** Runs on {@code executor}; only the debounce timers use {@code scheduler}. */
    Coalescer(Runnable task, long windowNanos, int burst, ScheduledExecutorService scheduler, Executor executor,
              LongSupplier nanoTime) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        this.task = task;
        this.windowNanos = windowNanos;
        this.burstAllowanceNanos = (burst - 1) * windowNanos;
        this.executor = executor;
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

    /** Time until a token is available (zero or negative: now). */
    private long delayFromNow() {
        return everRan ? due - burstAllowanceNanos - nanoTime.getAsLong() : 0;
    }

    private void dispatch(long delayNanos) {
        try {
            if (delayNanos <= 0) {
                executor.execute(this::run);
            } else {
                // the timer only hands over: the run itself belongs on the run executor, not the timer's thread
                scheduler.schedule(this::handOver, delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException e) {
            // The executor is shutting down with the engine: nothing will run any more.
            cancel();
        }
    }

    private void handOver() {
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            cancel(); // the engine is stopping
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
        long now = nanoTime.getAsLong();
        running = true;
        pending = false;
        due = (everRan && due - now > 0 ? due : now) + windowNanos; // takes one token
        everRan = true;
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
