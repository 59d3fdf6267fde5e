package dev.arcana.engine.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One app instance's claim on a numbered replication slot ({@code <prefix>_0}, {@code <prefix>_1},
 * ...): a session advisory lock per slot name, held on this lease's own connection for as long as
 * the instance streams. Instances side by side therefore never share a slot, whatever their
 * servers are called, and need no per-instance setting.
 *
 * <p>A slot is taken when its lock is free and no walsender is reading it. Numbered slots are
 * interchangeable: a slot that was another instance's only holds changes that instance no longer
 * needs, so a detector that moves to another slot (or whose slot was created) re-runs every view
 * instead of trusting the slot's position. That also makes it safe to drop the numbered slots
 * nobody holds ({@link #dropUnclaimed}), so that PostgreSQL does not keep WAL for instances that are
 * gone: at most one slot per running instance remains.
 */
final class SlotLease implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SlotLease.class.getName());
    /** The advisory lock's first key ("arca"); the second is {@code hashtext(slot name)}. */
    static final int LOCK_CLASS = 0x61726361;
    /** Instances of one application sharing a database; beyond, start-up fails with a clear message. */
    static final int MAX_SLOTS = 64;
    /**
     * How long a reconnecting detector waits for its own slot's walsender to end. After a connection
     * fault PostgreSQL ends the old walsender a moment after the client saw the error; taking another
     * slot instead would re-run every view and leave a gap in the numbering.
     */
    static final Duration PREFERRED_RELEASE_WAIT = Duration.ofSeconds(5);

    private final Connection connection;
    private final String slot;

    private SlotLease(Connection connection, String slot) {
        this.connection = connection;
        this.slot = slot;
    }

    /**
     * Claims {@code preferred} if no other instance holds it (the slot this detector streamed before;
     * its old walsender is given {@link #PREFERRED_RELEASE_WAIT} to end), otherwise a free numbered
     * slot: first one that exists (the smallest number), then the smallest number not yet created. An
     * instance that restarts has no memory of its slot; an existing free slot is most likely its own, and
     * resuming it keeps the changes committed while it was down — where creating a new slot would leave
     * the old one to be dropped with them. The lease owns {@code connection} from now on.
     *
     * @throws SQLException when every numbered slot is held, or the database fails
     */
    static SlotLease acquire(Connection connection, String prefix, String preferred) throws SQLException {
        Set<String> candidates = new LinkedHashSet<>();
        if (preferred != null) {
            candidates.add(preferred);
        }
        try {
            candidates.addAll(existing(connection, prefix));
        } catch (SQLException | RuntimeException e) {
            DetectorLoops.closeQuietly(connection);
            throw e;
        }
        for (int n = 0; n < MAX_SLOTS; n++) {
            candidates.add(prefix + "_" + n);
        }
        try {
            for (String candidate : candidates) {
                if (tryLock(connection, candidate)) {
                    boolean released = candidate.equals(preferred)
                            ? awaitNotStreamed(connection, candidate, PREFERRED_RELEASE_WAIT)
                            : !isStreamed(connection, candidate);
                    if (released) {
                        return new SlotLease(connection, candidate);
                    }
                    unlock(connection, candidate); // read by an instance whose lease connection broke
                }
            }
        } catch (SQLException | RuntimeException e) {
            DetectorLoops.closeQuietly(connection);
            throw e;
        }
        DetectorLoops.closeQuietly(connection);
        throw new SQLException("every replication slot " + prefix + "_0.." + prefix + "_" + (MAX_SLOTS - 1)
                + " is held by another app instance; set arcana.wal.slot per instance or drop unused slots");
    }

    /** The numbered slots of {@code prefix} that exist and no walsender reads, smallest number first. */
    private static List<String> existing(Connection connection, String prefix) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT slot_name FROM pg_replication_slots "
                + "WHERE NOT active AND slot_name ~ ? ORDER BY length(slot_name), slot_name")) {
            statement.setString(1, "^" + prefix + "_[0-9]+$");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    String slot() {
        return slot;
    }

    /** The lease's connection, free for setup statements while the lease holds. */
    Connection connection() {
        return connection;
    }

    /**
     * Drops the numbered slots of {@code prefix} that no instance holds and no walsender reads;
     * returns their names. Each is locked while it is dropped, so an instance starting at that
     * moment cannot pick it half-dropped.
     */
    List<String> dropUnclaimed(String prefix) throws SQLException {
        List<String> dropped = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT slot_name FROM pg_replication_slots WHERE NOT active AND slot_name ~ ?")) {
            statement.setString(1, "^" + prefix + "_[0-9]+$");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        for (String name : names) {
            if (name.equals(slot) || !tryLock(connection, name)) {
                continue;
            }
            try {
                if (!isStreamed(connection, name) && WalSetup.dropSlot(connection, name)) {
                    dropped.add(name);
                }
            } finally {
                unlock(connection, name);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "ARCANA-DETECT: dropped replication slot(s) {0}: no app instance "
                    + "holds them (PostgreSQL would keep WAL for them)", dropped);
        }
        return dropped;
    }

    /** Releases the slot (closing the connection ends the advisory lock). */
    @Override
    public void close() {
        DetectorLoops.closeQuietly(connection);
    }

    private static boolean tryLock(Connection connection, String name) throws SQLException {
        return booleanQuery(connection, "SELECT pg_try_advisory_lock(" + LOCK_CLASS + ", hashtext(?))", name);
    }

    private static void unlock(Connection connection, String name) throws SQLException {
        booleanQuery(connection, "SELECT pg_advisory_unlock(" + LOCK_CLASS + ", hashtext(?))", name);
    }

    private static boolean isStreamed(Connection connection, String name) throws SQLException {
        return booleanQuery(connection, "SELECT EXISTS (SELECT 1 FROM pg_replication_slots "
                + "WHERE slot_name = ? AND active)", name);
    }

    /** Whether the slot's walsender (if any) ended within {@code limit}; the caller holds the slot's lock. */
    private static boolean awaitNotStreamed(Connection connection, String name, Duration limit) throws SQLException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (isStreamed(connection, name)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            if (Thread.currentThread().isInterrupted()) {
                return false; // the detector is stopping
            }
        }
        return true;
    }

    private static boolean booleanQuery(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }
}
