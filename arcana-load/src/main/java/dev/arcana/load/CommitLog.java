package dev.arcana.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the writer committed: per row, the sequence numbers it wrote (as the title {@code L<seq>})
 * and when, on the driver's clock. A client that sees a row's title {@code L<k>} has received every
 * commit of that row up to k (later values supersede earlier ones under coalescing): each such
 * commit is credited once per client with the latency until that frame.
 */
public final class CommitLog {
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentHashMap<String, RowCommits> rows = new ConcurrentHashMap<>();

    /** Registers the next commit of a row before it is written; returns its sequence number. */
    public long next(String rowId, long nanos) {
        long seq = sequence.incrementAndGet();
        rows.computeIfAbsent(rowId, id -> new RowCommits()).add(seq, nanos);
        return seq;
    }

    public long commits() {
        return sequence.get();
    }

    RowCommits of(String rowId) {
        return rows.get(rowId);
    }

    public static String title(long seq) {
        return "L" + seq;
    }

    /** The sequence number in a title written by the writer, or -1 for any other title. */
    public static long seqOf(String title) {
        if (title == null || title.length() < 2 || title.charAt(0) != 'L') {
            return -1;
        }
        try {
            return Long.parseLong(title, 1, title.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One row's commits in sequence order (rows are partitioned among writer threads). */
    static final class RowCommits {
        private final List<long[]> commits = new ArrayList<>();

        synchronized void add(long seq, long nanos) {
            commits.add(new long[] {seq, nanos});
        }

        /**
         * Credits commits from index {@code from} with sequence ≤ {@code seenSeq} to the recorder,
         * and returns the index after the last credited one.
         */
        synchronized int credit(int from, long seenSeq, long receivedNanos, LatencyRecorder recorder) {
            int i = from;
            while (i < commits.size() && commits.get(i)[0] <= seenSeq) {
                recorder.record(commits.get(i)[1], receivedNanos);
                i++;
            }
            return i;
        }

        synchronized long lastNanos() {
            return commits.isEmpty() ? -1 : commits.get(commits.size() - 1)[1];
        }

        synchronized int size() {
            return commits.size();
        }
    }
}
