package dev.arcana.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentilesUseTheNearestRank() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 100; i >= 1; i--) {
            recorder.record(i);
        }
        long[] sorted = recorder.sorted();

        assertThat(LatencyRecorder.percentile(sorted, 50)).isEqualTo(50);
        assertThat(LatencyRecorder.percentile(sorted, 99)).isEqualTo(99);
        assertThat(LatencyRecorder.percentile(sorted, 100)).isEqualTo(100);
        assertThat(LatencyRecorder.percentile(new long[0], 50)).isEqualTo(-1);
    }

    @Test
    void commitsMadeDuringTheWarmUpAreNotRecorded() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(1_000_000, 3_000_000); // before any mark: counted, 2 ms
        recorder.measureFrom(10_000_000);

        recorder.record(9_000_000, 12_000_000); // committed during the warm-up, seen after it
        recorder.record(10_000_000, 15_000_000); // committed at the mark: 5 ms

        assertThat(recorder.sorted()).containsExactly(2_000, 5_000);
    }

    @Test
    void duringAHoldNothingIsRecordedNotEvenTheWarmUpsCommitsSeenDuringIt() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.holdUntilMeasureFrom();
        recorder.record(1_000_000, 3_000_000); // a warm-up commit seen during the warm-up
        recorder.measureFrom(10_000_000);
        recorder.record(2_000_000, 11_000_000); // a warm-up commit seen after it
        recorder.record(10_000_000, 14_000_000); // measured: 4 ms

        assertThat(recorder.sorted()).containsExactly(4_000);
    }

    @Test
    void titlesCarryTheirSequenceNumber() {
        assertThat(CommitLog.seqOf(CommitLog.title(42))).isEqualTo(42);
        assertThat(CommitLog.seqOf("init")).isEqualTo(-1);
        assertThat(CommitLog.seqOf("Lx")).isEqualTo(-1);
    }
}
