package dev.arcana.engine.pg;

import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.api.spi.ChangeSink;
import dev.arcana.api.spi.DetectorStatus;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * WAL mode: streams the committed changes of the registered tables from a logical replication
 * slot with the {@code pgoutput} plugin, decodes them ({@link PgOutputDecoder},
 * {@link WalTransactionAssembler}) and hands each transaction to the engine as one batch.
 *
 * <p>Lossless by construction: the slot is permanent, and its position is acknowledged (flushed
 * LSN) only after the transaction was handed to the engine, so a connection fault or an
 * application restart resumes where the last acknowledged transaction ended; a transaction
 * handed over but not acknowledged is simply delivered again (re-running a view is idempotent).
 * Only a missing slot (dropped by someone, or created for the first time) is a gap: the engine
 * then re-runs every live view.
 *
 * <p>Before a transaction is handed over, the detector waits until it is visible to new snapshots
 * ({@link CommitVisibility}): the WAL streams a commit a moment before other sessions can see it.
 *
 * <p>Set-up on each connection, idempotent and serialised across app instances: the publication
 * ({@link WalSetup}), the slot, then {@code START_REPLICATION}. Several app instances side by side
 * each use their own slot: leased ({@link SlotLease}) unless the slot name is configured. Keepalive requests of the
 * server are answered by pgjdbc's stream; status updates go out every {@code statusInterval}.
 * Drop a slot that is no longer used (see {@link WalSetup#dropSlot}), otherwise PostgreSQL keeps
 * WAL for it forever.
 */
public final class WalDetector implements ChangeDetector {
    private static final System.Logger LOG = System.getLogger(WalDetector.class.getName());
    static final String APPLICATION_NAME = "arcana-wal";
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Duration LAG_CACHE = Duration.ofSeconds(2);
    /** Transactions handed over together (one visibility check, one acknowledgement). */
    static final int MAX_GROUP = 1_000;
    static final Duration VISIBILITY_LIMIT = Duration.ofSeconds(5);

    /**
     * @param slot             replication slot: lower-case letters, digits, underscores (PostgreSQL's rule)
     * @param publication      publication name (an identifier)
     * @param allTables        {@code FOR ALL TABLES} (needs a superuser) instead of the registered tables
     * @param statusInterval   how often the position is reported to the server
     * @param maxChanges       row changes per transaction kept individually (beyond: table-wide)
     * @param dropSlotOnStop   drop the slot when the detector stops (changes while stopped are then lost)
     * @param leaseSlot        {@code slot} is a prefix: lease the first free {@code <slot>_<n>} ({@link SlotLease})
     *                         and drop the numbered slots no instance holds
     */
    public record Options(String slot, String publication, boolean allTables, Duration statusInterval,
                          Duration backoffInitial, Duration backoffMax, int maxChanges, boolean dropSlotOnStop,
                          boolean leaseSlot) {
        public Options {
            if (slot == null || !SLOT_NAME.matcher(slot).matches() || leaseSlot && slot.length() > 56) {
                throw new IllegalArgumentException("invalid replication slot name '" + slot
                        + "': use 1-63 lower-case letters, digits and underscores (a leased prefix: 1-56)");
            }
            TriggerSql.validateIdentifier(publication, "publication");
            Objects.requireNonNull(statusInterval, "statusInterval");
        }

        /** Options with exactly this slot (no lease). */
        public Options(String slot, String publication, boolean allTables, Duration statusInterval,
                       Duration backoffInitial, Duration backoffMax, int maxChanges, boolean dropSlotOnStop) {
            this(slot, publication, allTables, statusInterval, backoffInitial, backoffMax, maxChanges, dropSlotOnStop,
                    false);
        }

        public static Options defaults(String slot) {
            return new Options(slot, "arcana", false, Duration.ofSeconds(10), Duration.ofMillis(100),
                    Duration.ofSeconds(5), 10_000, false);
        }
    }

    private final DirectConnections connections;
    private final Supplier<Map<String, TableDependency>> tables;
    private final Options options;
    private final ThreadFactory threads;

    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong rowChanges = new AtomicLong();
    private final AtomicLong connectionsEstablished = new AtomicLong();
    private volatile boolean running;
    private volatile boolean streaming;
    private volatile int failedAttempts;
    private volatile String lastError;
    private volatile long flushedLsn;
    private volatile Connection current;
    /** The slot streamed (or last streamed); null until a leased slot is claimed. */
    private volatile String slot;
    private volatile Thread loop;
    private volatile long lagBytes = -1;
    private volatile long lagCheckedNanos;

    public WalDetector(DirectConnections connections, Supplier<Map<String, TableDependency>> tables, Options options,
                       ThreadFactory threads) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.options = Objects.requireNonNull(options, "options");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.slot = options.leaseSlot() ? null : options.slot();
    }

    @Override
    public synchronized void start(ChangeSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (running) {
            throw new IllegalStateException("WAL detector already started");
        }
        running = true;
        loop = DetectorLoops.startDaemon(threads, "arcana-wal", () -> stream(sink));
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        Thread thread = loop;
        if (thread != null) {
            // let it finish the message at hand and report its position, then cut it off
            DetectorLoops.join(thread, TimeUnit.SECONDS.toMillis(2));
            DetectorLoops.closeQuietly(current);
            thread.interrupt();
            DetectorLoops.join(thread, TimeUnit.SECONDS.toMillis(10));
        }
        streaming = false;
        String last = slot;
        if (options.dropSlotOnStop() && last != null) {
            try (Connection connection = connections.open(APPLICATION_NAME)) {
                WalSetup.dropSlot(connection, last);
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-DETECT: could not drop replication slot " + last, e);
            }
        }
    }

    @Override
    public DetectorStatus status() {
        String state = DetectorLoops.state(streaming, running, failedAttempts);
        long lag = streaming ? lag() : -1;
        String shownSlot = slot == null ? options.slot() + "_<n> (not leased yet)" : slot;
        String detail = "slot " + shownSlot + ", publication " + options.publication() + ", "
                + transactions.get() + " transactions, " + rowChanges.get() + " row changes, flushed "
                + LogSequenceNumber.valueOf(flushedLsn).asString()
                + (streaming || lastError == null ? "" : ", last error: " + lastError);
        return new DetectorStatus("wal", state, lag, detail);
    }

    /** Transactions handed to the engine so far. */
    public long transactionsHandled() {
        return transactions.get();
    }

    /** The last acknowledged (flushed) position. */
    public long flushedLsn() {
        return flushedLsn;
    }

    private void stream(ChangeSink sink) {
        Backoff backoff = new Backoff(options.backoffInitial(), options.backoffMax());
        while (running) {
            Connection replication = null;
            SlotLease lease = null;
            try {
                Map<String, TableDependency> dependencies = tables.get();
                String previous = slot;
                String streamed;
                WalSetup.Prepared prepared;
                if (options.leaseSlot()) {
                    // the lease's connection stays open while streaming: it holds the slot's advisory lock
                    lease = SlotLease.acquire(connections.open(APPLICATION_NAME), options.slot(), previous);
                    streamed = lease.slot();
                    prepared = WalSetup.prepare(lease.connection(), dependencies, options, streamed);
                    lease.dropUnclaimed(options.slot());
                } else {
                    streamed = options.slot();
                    try (Connection setup = connections.open(APPLICATION_NAME)) {
                        prepared = WalSetup.prepare(setup, dependencies, options, streamed);
                    }
                }
                slot = streamed;
                replication = connections.openReplication(APPLICATION_NAME);
                current = replication;
                if (!running) {
                    break;
                }
                PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                        .replicationStream().logical()
                        .withSlotName(streamed)
                        .withSlotOption("proto_version", "1")
                        .withSlotOption("publication_names", options.publication())
                        .withStatusInterval((int) options.statusInterval().toMillis(), TimeUnit.MILLISECONDS)
                        .start();
                streaming = true;
                failedAttempts = 0;
                backoff.reset();
                long established = connectionsEstablished.incrementAndGet();
                if (prepared.slotCreated()) {
                    // changes committed before the slot existed were never recorded for us
                    sink.invalidateAll("replication slot " + streamed + " created");
                } else if (previous != null && !previous.equals(streamed)) {
                    // another instance's slot: its position says nothing about what this instance has seen
                    sink.invalidateAll("moved from replication slot " + previous + " to " + streamed);
                }
                LOG.log(System.Logger.Level.INFO, "ARCANA-DETECT: streaming slot {0} (publication {1}, {2})",
                        streamed, options.publication(), established == 1 ? "first connection" : "reconnected");
                consume(stream, new WalTransactionAssembler(prepared.declaredTables(), dependencies,
                        options.maxChanges()), sink);
            } catch (SQLException | RuntimeException e) {
                streaming = false;
                if (!running) {
                    break;
                }
                failedAttempts = backoff.attempts() + 1;
                lastError = DetectorLoops.describe(e);
                long delay = backoff.nextDelayMillis();
                // the first failure of an outage is a warning, the retries that follow are detail
                LOG.log(failedAttempts == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, "ARCANA-DETECT: WAL stream of slot {0} failed ({1}); "
                        + "resuming from the slot in {2} ms (attempt {3})", slot, lastError, delay,
                        failedAttempts);
                DetectorLoops.closeQuietly(replication);
                if (!DetectorLoops.sleep(delay) || !running) {
                    break;
                }
            } finally {
                streaming = false;
                DetectorLoops.closeQuietly(replication);
                if (lease != null) {
                    lease.close();
                }
                current = null;
            }
        }
    }

    private void consume(PGReplicationStream stream, WalTransactionAssembler assembler, ChangeSink sink)
            throws SQLException {
        long idleParkNanos = TimeUnit.MILLISECONDS.toNanos(1);
        List<WalTransactionAssembler.Batch> ready = new ArrayList<>();
        try (CommitVisibility visibility = new CommitVisibility(connections.open(APPLICATION_NAME))) {
            while (running) {
                ByteBuffer message = stream.readPending();
                if (message != null) {
                    WalTransactionAssembler.Batch batch = assembler.accept(PgOutputDecoder.decode(message));
                    if (batch != null) {
                        ready.add(batch);
                    }
                    if (ready.size() < MAX_GROUP) {
                        continue; // drain what is already here before the visibility round trip
                    }
                }
                if (!ready.isEmpty()) {
                    handOver(ready, visibility, stream, sink);
                    ready.clear();
                } else {
                    LockSupport.parkNanos(idleParkNanos);
                }
            }
        }
        stream.forceUpdateStatus(); // report the last position before a deliberate stop
    }

    /** Waits until the group's commits are visible, hands each transaction over, then acknowledges the last. */
    private void handOver(List<WalTransactionAssembler.Batch> group, CommitVisibility visibility,
                          PGReplicationStream stream, ChangeSink sink) throws SQLException {
        long[] xids = group.stream().filter(batch -> !batch.changes().isEmpty())
                .mapToLong(batch -> Integer.toUnsignedLong(batch.xid())).toArray();
        visibility.awaitVisible(xids, VISIBILITY_LIMIT);
        for (WalTransactionAssembler.Batch batch : group) {
            if (!batch.changes().isEmpty()) {
                sink.accept(Integer.toUnsignedLong(batch.xid()), batch.changes());
                rowChanges.addAndGet(batch.changes().size());
            }
        }
        transactions.addAndGet(group.size());
        long end = group.get(group.size() - 1).endLsn();
        LogSequenceNumber position = LogSequenceNumber.valueOf(end);
        stream.setAppliedLSN(position);
        stream.setFlushedLSN(position); // handed over: the slot may move past these transactions
        flushedLsn = end;
    }

    private long lag() {
        long now = System.nanoTime();
        if (now - lagCheckedNanos < LAG_CACHE.toNanos()) {
            return lagBytes;
        }
        lagCheckedNanos = now;
        try (Connection connection = connections.open(APPLICATION_NAME)) {
            lagBytes = slot == null ? -1 : WalSetup.slotLag(connection, slot);
        } catch (SQLException e) {
            lagBytes = -1;
        }
        return lagBytes;
    }
}
