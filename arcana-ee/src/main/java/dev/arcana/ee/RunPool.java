package dev.arcana.ee;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixed pool that runs graph factories, apart from the container's shared managed executor
 * (which keeps the timers, the WebSocket sweeps, pings and closes, and Centrifugo's HTTP calls). Its
 * threads come from the container's {@code ManagedThreadFactory} (portable: the default one every
 * Jakarta EE server binds), named {@code arcana-run-N}. The queue is unbounded, but the engine
 * coalesces the runs of each query instance, so it holds at most one waiting run per instance.
 */
final class RunPool implements Executor {
    private static final System.Logger LOG = System.getLogger(RunPool.class.getName());

    private final ThreadPoolExecutor pool;

    RunPool(int threads, ThreadFactory managedThreads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory named = runnable -> {
            Thread thread = managedThreads.newThread(runnable);
            thread.setName("arcana-run-" + count.incrementAndGet());
            return thread;
        };
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named);
        pool.allowCoreThreadTimeOut(true); // idle applications hold no threads
    }

    @Override
    public void execute(Runnable command) {
        pool.execute(command);
    }

    int threads() {
        return pool.getMaximumPoolSize();
    }

    /** Stops taking runs, waits up to {@code waitMs} for those in progress, then interrupts them. */
    void shutdown(long waitMs) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
                int dropped = pool.shutdownNow().size();
                LOG.log(System.Logger.Level.WARNING, "ARCANA-STOP: factory runs still in progress after {0} ms were "
                        + "interrupted ({1} queued runs dropped)", waitMs, dropped);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    boolean isTerminated() {
        return pool.isTerminated();
    }
}
