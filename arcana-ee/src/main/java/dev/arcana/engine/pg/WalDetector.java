package dev.arcana.engine.pg;

import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.api.spi.ChangeSink;
import dev.arcana.api.spi.DetectorStatus;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Set-up on each connection, idempotent and serialised across app instances: the publication
 * ({@link WalSetup}), the slot, then {@code START_REPLICATION}. Several app instances side by side
 * each use their own slot name (e.g. derived from the server name). Keepalive requests of the
 * server are answered by pgjdbc's stream; status updates go out every {@code statusInterval}.
 * Drop a slot that is no longer used (see {@link WalSetup#dropSlot}), otherwise PostgreSQL keeps
 * WAL for it forever.
 */
public final class WalDetector implements ChangeDetector {
    private static final System.Logger LOG = System.getLogger(WalDetector.class.getName());
    static final String APPLICATION_NAME = "arcana-wal";
    static final int ATTEMPTS_BEFORE_DOWN = 3;
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Duration LAG_CACHE = Duration.ofSeconds(2);

    /**
     * @param slot             replication slot: lower-case letters, digits, underscores (PostgreSQL's rule)
     * @param publication      publication name (an identifier)
     * @param allTables        {@code FOR ALL TABLES} (needs a superuser) instead of the registered tables
     * @param statusInterval   how often the position is reported to the server
     * @param maxChanges       row changes per transaction kept individually (beyond: table-wide)
     * @param dropSlotOnStop   drop the slot when the detector stops (changes while stopped are then lost)
     */
    public record Options(String slot, String publication, boolean allTables, Duration statusInterval,
                          Duration backoffInitial, Duration backoffMax, int maxChanges, boolean dropSlotOnStop) {
        public Options {
            if (slot == null || !SLOT_NAME.matcher(slot).matches()) {
                throw new IllegalArgumentException("invalid replication slot name '" + slot
                        + "': use 1-63 lower-case letters, digits and underscores");
            }
            TriggerSql.validateIdentifier(publication, "publication");
            Objects.requireNonNull(statusInterval, "statusInterval");
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
    private volatile Thread loop;
    private volatile long lagBytes = -1;
    private volatile long lagCheckedNanos;

    public WalDetector(DirectConnections connections, Supplier<Map<String, TableDependency>> tables, Options options,
                       ThreadFactory threads) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.options = Objects.requireNonNull(options, "options");
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    @Override
    public synchronized void start(ChangeSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (running) {
            throw new IllegalStateException("WAL detector already started");
        }
        running = true;
        Thread thread = threads.newThread(() -> stream(sink));
        thread.setName("arcana-wal");
        thread.setDaemon(true);
        loop = thread;
        thread.start();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        Thread thread = loop;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2)); // let it finish the message at hand and report its position
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(current);
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streaming = false;
        if (options.dropSlotOnStop()) {
            try (Connection connection = connections.open(APPLICATION_NAME)) {
                WalSetup.dropSlot(connection, options.slot());
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-DETECT: could not drop replication slot " + options.slot(), e);
            }
        }
    }

    @Override
    public DetectorStatus status() {
        String state = streaming ? "up" : !running || failedAttempts >= ATTEMPTS_BEFORE_DOWN ? "down" : "connecting";
        long lag = streaming ? lag() : -1;
        String detail = "slot " + options.slot() + ", publication " + options.publication() + ", "
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
            try {
                Map<String, TableDependency> dependencies = tables.get();
                WalSetup.Prepared prepared;
                try (Connection setup = connections.open(APPLICATION_NAME)) {
                    prepared = WalSetup.prepare(setup, dependencies, options);
                }
                replication = connections.openReplication(APPLICATION_NAME);
                current = replication;
                if (!running) {
                    break;
                }
                PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                        .replicationStream().logical()
                        .withSlotName(options.slot())
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
                    sink.invalidateAll("replication slot " + options.slot() + " created");
                }
                LOG.log(System.Logger.Level.INFO, "ARCANA-DETECT: streaming slot {0} (publication {1}, {2})",
                        options.slot(), options.publication(), established == 1 ? "first connection" : "reconnected");
                consume(stream, new WalTransactionAssembler(prepared.declaredTables(), dependencies,
                        options.maxChanges()), sink);
            } catch (SQLException | RuntimeException e) {
                streaming = false;
                if (!running) {
                    break;
                }
                failedAttempts = backoff.attempts() + 1;
                lastError = describe(e);
                long delay = backoff.nextDelayMillis();
                LOG.log(System.Logger.Level.WARNING, "ARCANA-DETECT: WAL stream of slot {0} failed ({1}); "
                        + "resuming from the slot in {2} ms (attempt {3})", options.slot(), lastError, delay,
                        failedAttempts);
                closeQuietly(replication);
                if (!sleep(delay)) {
                    break;
                }
            } finally {
                streaming = false;
                closeQuietly(replication);
                current = null;
            }
        }
    }

    private void consume(PGReplicationStream stream, WalTransactionAssembler assembler, ChangeSink sink)
            throws SQLException {
        long idleParkNanos = TimeUnit.MILLISECONDS.toNanos(1);
        while (running) {
            ByteBuffer message = stream.readPending();
            if (message == null) {
                java.util.concurrent.locks.LockSupport.parkNanos(idleParkNanos);
                continue;
            }
            WalTransactionAssembler.Batch batch = assembler.accept(PgOutputDecoder.decode(message));
            if (batch == null) {
                continue;
            }
            if (!batch.changes().isEmpty()) {
                sink.accept(batch.changes());
                rowChanges.addAndGet(batch.changes().size());
            }
            transactions.incrementAndGet();
            LogSequenceNumber end = LogSequenceNumber.valueOf(batch.endLsn());
            stream.setAppliedLSN(end);
            stream.setFlushedLSN(end); // handed over: the slot may move past this transaction
            flushedLsn = batch.endLsn();
        }
        stream.forceUpdateStatus(); // report the last position before a deliberate stop
    }

    private long lag() {
        long now = System.nanoTime();
        if (now - lagCheckedNanos < LAG_CACHE.toNanos()) {
            return lagBytes;
        }
        lagCheckedNanos = now;
        try (Connection connection = connections.open(APPLICATION_NAME)) {
            lagBytes = WalSetup.slotLag(connection, options.slot());
        } catch (SQLException e) {
            lagBytes = -1;
        }
        return lagBytes;
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // closing a broken connection: nothing left to release
            }
        }
    }
}
