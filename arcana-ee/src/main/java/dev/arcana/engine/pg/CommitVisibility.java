package dev.arcana.engine.pg;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until decoded transactions are visible to new snapshots. PostgreSQL flushes a commit to
 * the WAL — and the walsender may already stream it — a moment before the transaction leaves the
 * proc array; a view re-run in that window would read the old data and the change would be lost
 * until the next one. (Trigger mode has no such window: NOTIFY is signalled after the commit is
 * visible.) A transaction is visible once its xid is no longer among the in-progress xids of a
 * current snapshot; one query checks a whole group of transactions. Needs PostgreSQL 13+.
 */
final class CommitVisibility implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CommitVisibility.class.getName());
    /**
     * Counts the xids not visible to a current snapshot. pgoutput gives 32-bit xids: each is widened
     * to the xid8 nearest the snapshot's xmax (it committed moments ago), then checked with
     * {@code pg_visible_in_snapshot} — which also covers an xid at or past xmax, the case where the
     * committing transaction was the newest one and has not yet advanced xmax.
     */
    static final String INVISIBLE = "SELECT count(*) FROM (SELECT pg_current_snapshot() AS snap) s, "
            + "LATERAL (SELECT pg_snapshot_xmax(s.snap)::text::bigint AS xmax) m, "
            + "LATERAL unnest(?::bigint[]) AS x(xid), "
            + "LATERAL (SELECT x.xid - (m.xmax & 4294967295) AS d) r "
            + "WHERE NOT pg_visible_in_snapshot((m.xmax + CASE WHEN r.d > 2147483647 THEN r.d - 4294967296 "
            + "WHEN r.d < -2147483648 THEN r.d + 4294967296 ELSE r.d END)::text::xid8, s.snap)";

    private final Connection connection;
    private final PreparedStatement inProgress;

    CommitVisibility(Connection connection) throws SQLException {
        this.connection = connection;
        this.inProgress = connection.prepareStatement(INVISIBLE);
    }

    /** Returns once no xid of {@code xids} is in progress, or after {@code limit} (logged). */
    void awaitVisible(long[] xids, Duration limit) throws SQLException {
        if (xids.length == 0) {
            return;
        }
        Long[] boxed = new Long[xids.length];
        for (int i = 0; i < xids.length; i++) {
            boxed[i] = xids[i];
        }
        Array array = connection.createArrayOf("bigint", boxed);
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            inProgress.setArray(1, array);
            while (true) {
                try (ResultSet rows = inProgress.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    LOG.log(System.Logger.Level.WARNING, "ARCANA-DETECT: decoded transactions still in progress after "
                            + "{0} ms; handing them over anyway", limit.toMillis());
                    return;
                }
                LockSupport.parkNanos(100_000);
            }
        } finally {
            array.free();
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
