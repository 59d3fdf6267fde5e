package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyDurationFallsInABucketWhoseBoundsHoldIt() {
        for (long micros = 1; micros < 5_000_000; micros = micros * 11 / 10 + 1) {
            int bucket = LatencyHistogram.bucketOf(micros);
            assertThat(micros).as("micros %d in bucket %d", micros, bucket)
                    .isLessThan((long) Math.ceil(LatencyHistogram.upperBoundMicros(bucket)));
            if (bucket > 0) {
                assertThat((double) micros).isGreaterThanOrEqualTo(LatencyHistogram.upperBoundMicros(bucket - 1));
            }
        }
    }

    @Test
    void percentilesErrUpwardsByAtMostOneBucket() {
        LatencyHistogram histogram = new LatencyHistogram();
        Random random = new Random(42);
        long[] micros = LongStream.generate(() -> 100 + random.nextInt(20_000)).limit(10_000).sorted().toArray();
        for (long value : micros) {
            histogram.record(value * 1_000);
        }
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.count()).isEqualTo(10_000);
        for (double p : new double[] {50, 90, 99, 100}) {
            double exact = micros[(int) Math.ceil(p / 100 * micros.length) - 1] / 1_000.0;
            assertThat(snapshot.percentileMillis(p)).as("p%s", p).isGreaterThanOrEqualTo(exact)
                    .isLessThanOrEqualTo(exact * 1.25 + 0.001);
        }
        assertThat(snapshot.meanMillis()).isCloseTo(LongStream.of(micros).average().orElseThrow() / 1_000, within(0.01));
    }

    @Test
    void outOfRangeAndNegativeDurationsAreClamped() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5);
        histogram.record(Long.MAX_VALUE);
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.counts()[0]).isEqualTo(1);
        assertThat(snapshot.counts()[LatencyHistogram.BUCKETS - 1]).isEqualTo(1);
        assertThat(new LatencyHistogram().snapshot().percentileMillis(99)).isZero();
    }

    @Test
    void theBucketsListOnlyWhatWasRecordedUnderTheirUpperBounds() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1_000_000); // 1 ms
        histogram.record(1_010_000);
        histogram.record(40_000_000); // 40 ms
        java.util.List<double[]> buckets = new java.util.ArrayList<>();
        histogram.snapshot().forEachBucket((upper, count) -> buckets.add(new double[] {upper, count}));

        assertThat(buckets).hasSize(2);
        assertThat(buckets.get(0)[0]).isGreaterThan(1_010).isLessThanOrEqualTo(1_010 * 1.25);
        assertThat(buckets.get(0)[1]).isEqualTo(2);
        assertThat(buckets.get(1)[0]).isGreaterThan(40_000).isLessThanOrEqualTo(40_000 * 1.25);
        assertThat(buckets.get(1)[1]).isEqualTo(1);
    }

    @Test
    void aMirrorReceivesEveryRecordedDurationUntilItIsRemoved() {
        LatencyHistogram histogram = new LatencyHistogram();
        java.util.List<Long> mirrored = new java.util.ArrayList<>();
        histogram.mirrorTo(mirrored::add);
        histogram.record(2_000);
        histogram.record(-5);
        histogram.mirrorTo(null);
        histogram.record(3_000);

        assertThat(mirrored).containsExactly(2_000L, 0L);
        assertThat(histogram.count()).isEqualTo(3);
    }
}
