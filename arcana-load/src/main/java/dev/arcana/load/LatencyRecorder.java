package dev.arcana.load;

import java.util.Arrays;

/**
 * Commit → frame latencies in microseconds; thread-safe, exact percentiles (nearest rank). Commits
 * made before {@link #measureFrom} (the warm-up) are not recorded, nor is anything between
 * {@link #holdUntilMeasureFrom} and {@link #measureFrom} (the warm-up's commits seen during it).
 */
public final class LatencyRecorder {
    private long[] samples = new long[4096];
    private int size;
    private volatile boolean everyCommitCounts = true; // until measureFrom is called
    private volatile long measuredFromNanos;
    private volatile boolean holding;

    /** Records nothing until {@link #measureFrom} is called: called before a warm-up. */
    public void holdUntilMeasureFrom() {
        holding = true;
        everyCommitCounts = false;
    }

    /** From now on only commits made at or after {@code nanos} count. */
    public void measureFrom(long nanos) {
        measuredFromNanos = nanos;
        everyCommitCounts = false;
        holding = false;
    }

    /** Records the latency of a commit made at {@code commitNanos} and seen at {@code seenNanos}. */
    public void record(long commitNanos, long seenNanos) {
        // nanoTime values compare by difference (they may be negative or wrap)
        if (holding) {
            return;
        }
        if (everyCommitCounts || commitNanos - measuredFromNanos >= 0) {
            record((seenNanos - commitNanos) / 1_000);
        }
    }

    public synchronized void record(long micros) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = Math.max(0, micros);
    }

    public synchronized int count() {
        return size;
    }

    /** Sorted copy of the samples. */
    public synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(samples, size);
        Arrays.sort(copy);
        return copy;
    }

    /** The p-th percentile (0 < p ≤ 100) of sorted samples in microseconds, or -1 without samples. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
}
