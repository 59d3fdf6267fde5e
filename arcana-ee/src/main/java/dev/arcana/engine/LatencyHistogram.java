package dev.arcana.engine;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * A lock-free histogram of durations for the hot path: recording is an index computation and one
 * atomic increment. Buckets are log-linear, four per power of two of microseconds (each about 19 %
 * wide) from 1 µs to about 68 s; a percentile is reported as the upper bound of its bucket, so it
 * errs by at most one bucket width, upwards. Durations below 1 µs count as 1 µs, above the range
 * in the last bucket.
 */
public final class LatencyHistogram {
    private static final int SUB_BUCKETS = 4;
    private static final int OCTAVES = 26;
    static final int BUCKETS = OCTAVES * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();
    private volatile LongConsumer mirror;

    /** Records one duration in nanoseconds (negative values, from clock skew across threads, count as zero). */
    public void record(long nanos) {
        long micros = Math.max(1, nanos / 1_000);
        counts.incrementAndGet(bucketOf(micros));
        total.increment();
        sumMicros.add(micros);
        LongConsumer also = mirror;
        if (also != null) {
            also.accept(Math.max(0, nanos));
        }
    }

    /**
     * Hands every duration recorded from now on (in nanoseconds, at least zero) to {@code also} as
     * well, on the recording thread: a metrics library's histogram, for instance. One mirror at a
     * time; {@code null} stops mirroring.
     */
    public void mirrorTo(LongConsumer also) {
        mirror = also;
    }

    /** The bucket of a duration in microseconds (at least 1). */
    static int bucketOf(long micros) {
        int octave = 63 - Long.numberOfLeadingZeros(micros); // floor(log2(micros))
        if (octave >= OCTAVES) {
            return BUCKETS - 1;
        }
        // the two bits below the leading one choose the quarter of the octave
        int quarter = octave >= 2 ? (int) ((micros >>> (octave - 2)) & 3)
                : (int) ((micros << (2 - octave)) & 3);
        return octave * SUB_BUCKETS + quarter;
    }

    /** The upper bound (exclusive) of a bucket, in microseconds. */
    static double upperBoundMicros(int bucket) {
        int octave = bucket / SUB_BUCKETS;
        int quarter = bucket % SUB_BUCKETS;
        return Math.scalb(1.0 + (quarter + 1) / (double) SUB_BUCKETS, octave);
    }

    public long count() {
        return total.sum();
    }

    /** A consistent-enough copy for reporting (concurrent records may or may not be in it). */
    public Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
            n += copy[i];
        }
        return new Snapshot(copy, n, sumMicros.sum());
    }

    /** Counts per bucket at one moment, with percentiles in milliseconds. */
    public record Snapshot(long[] counts, long count, long sumMicros) {
        /** The {@code p}-th percentile (0 < p ≤ 100) in milliseconds; 0 when empty. */
        public double percentileMillis(double p) {
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(p / 100.0 * count);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return upperBoundMicros(i) / 1_000.0;
                }
            }
            return upperBoundMicros(counts.length - 1) / 1_000.0;
        }

        public double meanMillis() {
            return count == 0 ? 0 : sumMicros / (double) count / 1_000.0;
        }

        /**
         * The non-empty buckets in order, as their upper bound (exclusive, microseconds) and count: two
         * snapshots' differences bucket by bucket give the durations recorded between them.
         */
        public void forEachBucket(BucketVisitor visitor) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    visitor.bucket(upperBoundMicros(i), counts[i]);
                }
            }
        }
    }

    /** Receives one bucket of a {@link Snapshot}. */
    @FunctionalInterface
    public interface BucketVisitor {
        void bucket(double upperBoundMicros, long count);
    }
}
