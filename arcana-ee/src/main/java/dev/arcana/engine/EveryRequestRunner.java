package dev.arcana.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The naive strategy's scheduler: every request causes one run of its own, dispatched at once or,
 * while a run is in progress, right after it (no debounce window, no coalescing). Runs stay
 * serial so that an older result never overwrites a newer one.
 */
final class EveryRequestRunner implements RunScheduler {
    private final Runnable task;
    private final Executor executor;

    private int queued;
    private boolean running;
    private boolean cancelled;

    EveryRequestRunner(Runnable task, Executor executor) {
        this.task = task;
        this.executor = executor;
    }

    @Override
    public void request() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            queued++;
            if (running) {
                return;
            }
            running = true;
        }
        dispatch();
    }

    @Override
    public boolean runHereIfIdle() {
        synchronized (this) {
            if (cancelled || running || queued > 0) {
                return false;
            }
            running = true;
            queued = 1;
        }
        run();
        return true;
    }

    @Override
    public synchronized void cancel() {
        cancelled = true;
    }

    @Override
    public synchronized boolean isIdle() {
        return !running && queued == 0;
    }

    @Override
    public synchronized RunState state() {
        if (cancelled) {
            return RunState.CANCELLED;
        }
        if (!running) {
            return RunState.IDLE;
        }
        return queued > 0 ? RunState.RUNNING_AGAIN : RunState.RUNNING; // a dispatched run counts as running
    }

    private void dispatch() {
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            // The executor is shutting down with the engine: nothing will run any more.
            synchronized (this) {
                cancelled = true;
                running = false;
                queued = 0;
            }
        }
    }

    private void run() {
        synchronized (this) {
            if (cancelled) {
                running = false;
                queued = 0;
                return;
            }
            queued--;
        }
        try {
            task.run();
        } finally {
            boolean again;
            synchronized (this) {
                again = queued > 0 && !cancelled;
                if (!again) {
                    running = false;
                    queued = 0;
                }
            }
            if (again) {
                dispatch();
            }
        }
    }
}
