package dev.arcana.websocket;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that start each connection's next send when the previous one completed: one short task
 * per queued frame, thousands a second under load. A container's managed executor captures and
 * re-applies the application's context (class loader, naming, security) for every task — a fifth of
 * the server's CPU at 500 commits/s on Liberty — that a send does not need; these are the container's
 * managed threads (context set up once per thread) in a plain pool, named {@code arcana-ws-send-N}.
 */
final class SendThreads implements Executor {
    /** A task only hands a frame to the container's asynchronous send: two threads keep up with any rate. */
    static final int THREADS = 2;

    private final ThreadPoolExecutor pool;

    SendThreads(ThreadFactory managedThreads) {
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = managedThreads.newThread(runnable);
            thread.setName("arcana-ws-send-" + count.incrementAndGet());
            return thread;
        });
        // started here, on the application's start-up thread, and kept: a container's thread factory may take the
        // context of the thread that asks for a thread (GlassFish's and Payara's do), and the sends' completions
        // arrive on the container's I/O threads, which carry no application context
        pool.prestartAllCoreThreads();
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task); // after shutdown: RejectedExecutionException, and the queue finishes inline
    }

    /** Takes no more tasks; those queued still run. */
    void shutdown() {
        pool.shutdown();
    }
}
