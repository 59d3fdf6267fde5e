package dev.arcana.websocket;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One-shot timers and the clock they run on. In a container: the managed scheduled executor and
 * {@link System#nanoTime()}; in tests: a manual clock that the test advances.
 */
interface Timers {

    /** A scheduled task that has not run yet can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Runs {@code task} once, {@code delayMillis} from now. */
    Cancellable schedule(Runnable task, long delayMillis);

    /** Monotonic milliseconds (only differences are meaningful). */
    long now();

    /** Timers on a (managed) scheduled executor, with a monotonic clock. */
    static Timers on(ScheduledExecutorService scheduler) {
        return new Timers() {
            @Override
            public Cancellable schedule(Runnable task, long delayMillis) {
                ScheduledFuture<?> future = scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public long now() {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
            }
        };
    }
}
