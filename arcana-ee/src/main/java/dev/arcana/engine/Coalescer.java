package dev.arcana.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs one query instance's task on demand: single flight, coalescing, paced by the run's own cost.
 * <ul>
 * <li>a request to an idle task runs it at once (unless the pace below says otherwise);</li>
 * <li>requests during a run coalesce into exactly one more run, started as soon as the pace allows:
 * so a hot instance whose runs are cheap re-runs right after its previous run, with whatever
 * arrived meanwhile;</li>
 * <li>pace: the next run starts no earlier than the previous run's duration after its end (an
 * instance spends at most half of its time running, however hot: an expensive view cannot keep a
 * connection busy alone), and no earlier than {@code minInterval} after the previous start (the
 * optional floor, {@code arcana.debounce-ms}).</li>
 * </ul>
 * How many runs of all instances run at once is the run executor's business: its fixed pool is the
 * engine-wide budget that keeps PostgreSQL safe under bursts across many instances.
 */
final class Coalescer implements RunScheduler {
    private final Runnable task;
    private final long minIntervalNanos;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;

    private RunState state = RunState.IDLE;
    private boolean everRan;
    /** The earliest start of the next run ({@link #nanoTime} scale), once a run happened. */
    private long nextStart;

    /** Runs on {@code scheduler} too. */
    Coalescer(Runnable task, long minIntervalNanos, ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this(task, minIntervalNanos, scheduler, scheduler, nanoTime);
    }

    /** Runs on {@code executor}; only the pacing timers use {@code scheduler}. */
    Coalescer(Runnable task, long minIntervalNanos, ScheduledExecutorService scheduler, Executor executor,
              LongSupplier nanoTime) {
        if (minIntervalNanos < 0) {
            throw new IllegalArgumentException("minimum interval must be >= 0, got " + minIntervalNanos);
        }
        this.task = task;
        this.minIntervalNanos = minIntervalNanos;
        this.executor = executor;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
    }

    @Override
    public void request() {
        long delay;
        synchronized (this) {
            switch (state) {
                case RUNNING -> {
                    state = RunState.RUNNING_AGAIN;
                    return;
                }
                case IDLE -> {
                    state = RunState.SCHEDULED;
                    delay = delayFromNow();
                }
                default -> { // SCHEDULED and RUNNING_AGAIN already cover this request; CANCELLED runs no more
                    return;
                }
            }
        }
        dispatch(delay);
    }

    @Override
    public synchronized void cancel() {
        state = RunState.CANCELLED;
    }

    @Override
    public synchronized boolean isIdle() {
        return state == RunState.IDLE || state == RunState.CANCELLED;
    }

    @Override
    public synchronized RunState state() {
        return state;
    }

    @Override
    public boolean runHereIfIdle() {
        synchronized (this) {
            if (state != RunState.IDLE) {
                return false;
            }
            state = RunState.RUNNING;
        }
        runAndFollowUp();
        return true;
    }

    private long delayFromNow() {
        return everRan ? nextStart - nanoTime.getAsLong() : 0;
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
            cancel(); // the executor is shutting down with the engine: nothing will run any more
        }
    }

    private void handOver() {
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            cancel(); // the engine is stopping
        }
    }

    private void run() {
        synchronized (this) {
            if (state != RunState.SCHEDULED) {
                return; // cancelled meanwhile
            }
            state = RunState.RUNNING;
        }
        runAndFollowUp();
    }

    private void runAndFollowUp() {
        long started = nanoTime.getAsLong();
        try {
            task.run();
        } finally {
            long ended = nanoTime.getAsLong();
            long delay = 0;
            boolean again = false;
            synchronized (this) {
                everRan = true;
                nextStart = Math.max(started + minIntervalNanos, ended + (ended - started));
                if (state == RunState.RUNNING_AGAIN) {
                    state = RunState.SCHEDULED;
                    again = true;
                    delay = delayFromNow();
                } else if (state == RunState.RUNNING) {
                    state = RunState.IDLE;
                }
            }
            if (again) {
                dispatch(delay);
            }
        }
    }
}
