package dev.arcana.engine;

import dev.arcana.api.Change;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The most recent changes the engine received, for DevTools: each with the query instances it
 * marked and, per instance, when the run that answered it started, finished and handed its pushes
 * to the transport. A run answers every change that marked its instance since the previous run
 * started (changes coalesce), so those changes share its times. Bounded: the oldest entries go, and
 * an entry keeps at most {@link #MAX_HOPS} instances (a change that fans out to more says how many).
 * Off (capacity 0) it records nothing and costs one branch per change.
 */
public final class ChangeLog {
    static final int MAX_HOPS = 16;
    /** Changes an instance remembers while it waits for its run (a hot instance keeps the newest). */
    static final int MAX_AWAITING_PER_INSTANCE = 8;

    private final int capacity;
    private final Deque<Entry> entries;

    public ChangeLog(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1_024));
    }

    public boolean isOn() {
        return capacity > 0;
    }

    /** Records a change as received now; null when the log is off. */
    Entry received(Change change) {
        if (capacity == 0) {
            return null;
        }
        Entry entry = new Entry(change, System.currentTimeMillis(), System.nanoTime());
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(entry);
        }
        return entry;
    }

    /** The entries whose workspace {@code visible} accepts (a change without one: always), newest first. */
    public List<EntryView> recent(Predicate<String> visible) {
        List<Entry> copy;
        synchronized (entries) {
            copy = new ArrayList<>(entries);
        }
        List<EntryView> views = new ArrayList<>(copy.size());
        for (int i = copy.size() - 1; i >= 0; i--) {
            Entry entry = copy.get(i);
            String workspace = entry.change.workspaceId();
            if (workspace == null || visible.test(workspace)) {
                views.add(entry.view(visible));
            }
        }
        return views;
    }

    /** One run's times for one instance, relative to nothing: {@link System#nanoTime} stamps. */
    record Hop(String workspace, String graph, String paramsHash, long startedNanos, long finishedNanos,
               long pushedNanos) {
    }

    /** A change as received, and the runs that answered it. */
    static final class Entry {
        private final Change change;
        private final long receivedEpochMillis;
        private final long receivedNanos;
        private final List<Hop> hops = new ArrayList<>(2);
        private int marked;

        Entry(Change change, long receivedEpochMillis, long receivedNanos) {
            this.change = change;
            this.receivedEpochMillis = receivedEpochMillis;
            this.receivedNanos = receivedNanos;
        }

        synchronized void marked() {
            marked++;
        }

        synchronized void answered(Hop hop) {
            if (hops.size() < MAX_HOPS) {
                hops.add(hop);
            }
        }

        synchronized EntryView view(Predicate<String> visible) {
            List<HopView> shown = new ArrayList<>(hops.size());
            for (Hop hop : hops) {
                if (visible.test(hop.workspace())) {
                    shown.add(new HopView(hop.workspace(), hop.graph(), hop.paramsHash(),
                            millisBetween(receivedNanos, hop.startedNanos()),
                            millisBetween(receivedNanos, hop.finishedNanos()),
                            millisBetween(receivedNanos, hop.pushedNanos())));
                }
            }
            return new EntryView(change, receivedEpochMillis, marked, shown);
        }

        private static double millisBetween(long from, long to) {
            return Math.round((to - from) / 1_000.0) / 1_000.0;
        }
    }

    /**
     * A change for display: when it was received (epoch ms), how many instances it marked, and per
     * answering run the milliseconds from its reception to the run's start, end and hand-over.
     */
    public record EntryView(Change change, long receivedEpochMillis, int instancesMarked, List<HopView> runs) {
    }

    public record HopView(String workspace, String graph, String paramsHash, double startedAfterMs,
                          double finishedAfterMs, double pushedAfterMs) {
    }
}
