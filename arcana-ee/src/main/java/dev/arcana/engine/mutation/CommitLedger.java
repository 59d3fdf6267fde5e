package dev.arcana.engine.mutation;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The transactions whose changes the engine applies itself at commit (a mutation's fast path), by
 * PostgreSQL transaction id, so that the change detector's later report of the same transaction
 * re-runs only what those changes did not cover ({@link #expect}); and, for a mutation that
 * declared nothing, the wait for that report ({@link #awaitReport}). Entries are kept
 * {@link #KEEP_SECONDS} seconds after they were expected, at most {@link #CAPACITY}: a report later
 * than that is applied in full (a second run, never a lost one).
 *
 * @param <R> what applying a report produced (handed to the mutation waiting for it)
 */
public final class CommitLedger<R> {
    static final int CAPACITY = 10_000;
    static final long KEEP_SECONDS = 60;

    private final LongSupplier nanoTime;
    private final Map<Long, Expected<R>> byXid = new LinkedHashMap<>();

    /** {@code report} is null when nobody waits for the report (the transaction applied its changes itself). */
    private record Expected<R>(List<Change> applied, CompletableFuture<R> report, long sinceNanos) {
        void cancel() {
            if (report != null) {
                report.cancel(false);
            }
        }
    }

    public CommitLedger(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** PostgreSQL's 64-bit transaction id ({@code txid_current()}) as the 32-bit xid detectors see. */
    public static long xid(long txid) {
        return txid & 0xFFFF_FFFFL;
    }

    /**
     * Before commit: transaction {@code xid} will apply {@code applied} itself; its report re-runs
     * only the rest, and nobody waits for it.
     */
    public synchronized void expect(long xid, List<Change> applied) {
        add(xid, new Expected<>(List.copyOf(applied), null, nanoTime.getAsLong()));
    }

    /**
     * Before commit: transaction {@code xid} applies nothing itself and its mutation waits for the
     * report. The future completes with what applying the report produced.
     */
    public synchronized CompletableFuture<R> awaitReport(long xid) {
        Expected<R> expected = new Expected<>(List.of(), new CompletableFuture<>(), nanoTime.getAsLong());
        add(xid, expected);
        return expected.report();
    }

    /** The transaction did not commit (or may not have): its report, if any, is applied in full. */
    public synchronized void forget(long xid) {
        Expected<R> expected = byXid.remove(xid);
        if (expected != null) {
            expected.cancel();
        }
    }

    /** The changes of a reported transaction that its expected changes do not cover (all of them for an unknown xid). */
    public synchronized List<Change> uncovered(long xid, List<Change> reported) {
        Expected<R> expected = byXid.get(xid);
        if (expected == null) {
            return reported;
        }
        List<Change> rest = new ArrayList<>(reported.size());
        for (Change change : reported) {
            if (expected.applied().stream().noneMatch(applied -> covers(applied, change))) {
                rest.add(change);
            }
        }
        return rest;
    }

    /** Whether a mutation waits for this transaction's report. */
    public synchronized boolean isAwaited(long xid) {
        Expected<R> expected = byXid.get(xid);
        return expected != null && expected.report() != null && !expected.report().isDone();
    }

    /** Hands what applying the report produced to the mutation waiting for it. */
    public void reported(long xid, R result) {
        Expected<R> expected;
        synchronized (this) {
            expected = byXid.get(xid);
        }
        if (expected != null && expected.report() != null) {
            expected.report().complete(result);
        }
    }

    synchronized int size() {
        return byXid.size();
    }

    /**
     * Whether re-running for {@code applied} made re-running for {@code reported} useless: same table,
     * row and operation (or {@code applied} is a table-wide UPDATE and {@code reported} no DELETE,
     * whose row must still be announced deleted), same workspace when {@code applied} names one, and
     * for an UPDATE the applied columns include the reported ones (none listed: all).
     */
    static boolean covers(Change applied, Change reported) {
        if (!applied.table().equals(reported.table())) {
            return false;
        }
        if (applied.workspaceId() != null && !applied.workspaceId().equals(reported.workspaceId())) {
            return false;
        }
        if (applied.id() == null) { // table-wide: re-ran every view of the table, but announced no deletion
            return applied.op() == ChangeOp.UPDATE && applied.columns().isEmpty()
                    && (reported.op() == ChangeOp.INSERT || reported.op() == ChangeOp.UPDATE);
        }
        if (!applied.id().equals(reported.id()) || applied.op() != reported.op()) {
            return false;
        }
        return reported.op() != ChangeOp.UPDATE || applied.columns().isEmpty()
                || !reported.columns().isEmpty() && applied.columns().containsAll(reported.columns());
    }

    private void add(long xid, Expected<R> expected) {
        Expected<R> replaced = byXid.put(xid, expected);
        if (replaced != null) {
            replaced.cancel(); // an xid used again after wrap-around: the old entry is long expired
        }
        expire();
    }

    private void expire() {
        long now = nanoTime.getAsLong();
        long keep = TimeUnit.SECONDS.toNanos(KEEP_SECONDS);
        Iterator<Expected<R>> oldest = byXid.values().iterator();
        while (oldest.hasNext()) {
            Expected<R> expected = oldest.next();
            if (byXid.size() <= CAPACITY && now - expected.sinceNanos() < keep) {
                return;
            }
            expected.cancel();
            oldest.remove();
        }
    }
}
