package dev.arcana.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Commits changes at a fixed rate for a fixed time on several threads. Rows are partitioned among
 * the threads so that the writes of one row are serial and the commit log's order per row is the
 * database's. Each change is logged (sequence, time) just before its statement is sent: the
 * latency includes the write itself.
 */
final class PacedWriter {
    private final Fixture fixture;
    private final CommitLog log;
    private final List<ChangeWriter> writers;
    /** Each write's own time: the statement sent → its commit returned (autocommit). */
    private final LatencyRecorder writeTimes;

    PacedWriter(Fixture fixture, CommitLog log, List<ChangeWriter> writers, LatencyRecorder writeTimes) {
        this.fixture = fixture;
        this.log = log;
        this.writers = writers;
        this.writeTimes = writeTimes;
    }

    /** Writes {@code perSecond} changes per second for {@code seconds}; returns the commits made. */
    long run(int perSecond, int seconds) throws Exception {
        if (perSecond == 0) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            return 0;
        }
        List<String> tasks = fixture.allTasks();
        int threads = Math.min(writers.size(), perSecond);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> mine = new ArrayList<>();
                for (int i = t; i < tasks.size(); i += threads) {
                    mine.add(tasks.get(i));
                }
                ChangeWriter writer = writers.get(t);
                double rate = perSecond / (double) threads;
                long seed = t;
                results.add(pool.submit(() -> writeAtRate(writer, mine, rate, seconds, new Random(seed))));
            }
            long total = 0;
            for (Future<Long> result : results) {
                total += result.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private long writeAtRate(ChangeWriter writer, List<String> tasks, double perSecond, int seconds, Random random)
            throws Exception {
        long periodNanos = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long written = 0;
        for (long next = start; next < end; next += periodNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String task = tasks.get(random.nextInt(tasks.size()));
            long sent = System.nanoTime();
            long seq = log.next(task, sent);
            writer.write(fixture.workspaceOf(task), task, CommitLog.title(seq), random.nextInt(1000));
            writeTimes.record(sent, System.nanoTime());
            written++;
        }
        return written;
    }
}
