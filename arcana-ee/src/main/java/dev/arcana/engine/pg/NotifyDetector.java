package dev.arcana.engine.pg;

import dev.arcana.api.Change;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.api.spi.ChangeSink;
import dev.arcana.api.spi.DetectorStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Trigger mode: installs the {@link TriggerSql} triggers (optionally) and LISTENs on their channel
 * on a dedicated connection, handing every notification to the engine.
 *
 * <p>Lossless: PostgreSQL delivers a notification only to sessions listening when the writer
 * commits. So whenever a LISTEN is (re-)established — first start, and after any connection fault
 * — the detector first listens and then calls {@link ChangeSink#invalidateAll}: every live query
 * instance re-runs and sees every commit of the gap, and every later commit is heard. Faults are
 * found by the failing read, by a {@code SELECT 1} heartbeat and by the socket timeout; the
 * reconnect uses a <em>new</em> connection after a jittered exponential backoff.
 *
 * <p>A payload that cannot be parsed (someone else notifying on the channel) is logged and turned
 * into an invalidate-all: never guess, never drop.
 */
public final class NotifyDetector implements ChangeDetector {
    private static final System.Logger LOG = System.getLogger(NotifyDetector.class.getName());
    static final String APPLICATION_NAME = "arcana-listener";

    /**
     * @param channel         NOTIFY channel of the triggers
     * @param installTriggers whether to (re-)create the triggers at the first connection
     * @param pollInterval    longest wait for notifications before checking the heartbeat and stop flag
     * @param heartbeat       interval of the {@code SELECT 1} that detects a dead connection
     * @param backoffInitial  first reconnect delay
     * @param backoffMax      longest reconnect delay
     */
    public record Options(String channel, boolean installTriggers, Duration pollInterval, Duration heartbeat,
                          Duration backoffInitial, Duration backoffMax) {
        public Options {
            TriggerSql.validateIdentifier(channel, "notify channel");
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(heartbeat, "heartbeat");
        }

        public static Options defaults() {
            return new Options(TriggerSql.DEFAULT_CHANNEL, true, Duration.ofMillis(250), Duration.ofSeconds(5),
                    Duration.ofMillis(100), Duration.ofSeconds(5));
        }
    }

    private final DirectConnections connections;
    private final Supplier<Map<String, TableDependency>> tables;
    private final Options options;
    private final ThreadFactory threads;

    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong listensEstablished = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean running;
    private volatile boolean connected;
    private volatile int failedAttempts;
    private volatile String lastError;
    private volatile Connection current;
    private volatile Thread loop;
    private boolean triggersInstalled; // loop thread only

    /**
     * @param tables  the registered tables, read at each trigger installation (graphs register before start)
     * @param threads makes the one long-lived listener thread (a container's managed thread factory in EE)
     */
    public NotifyDetector(DirectConnections connections, Supplier<Map<String, TableDependency>> tables,
                          Options options, ThreadFactory threads) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.options = Objects.requireNonNull(options, "options");
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    @Override
    public synchronized void start(ChangeSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (running) {
            throw new IllegalStateException("notify detector already started");
        }
        running = true;
        loop = DetectorLoops.startDaemon(threads, "arcana-listener", () -> listen(sink));
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        DetectorLoops.closeQuietly(current); // unblocks a waiting read
        Thread thread = loop;
        if (thread != null) {
            thread.interrupt();
            DetectorLoops.join(thread, TimeUnit.SECONDS.toMillis(10));
        }
        connected = false;
    }

    @Override
    public DetectorStatus status() {
        String state = DetectorLoops.state(connected, running, failedAttempts);
        String detail = "channel " + options.channel() + ", " + notifications.get() + " notifications, "
                + Math.max(0, listensEstablished.get() - 1) + " reconnects"
                + (malformed.get() > 0 ? ", " + malformed.get() + " malformed payloads" : "")
                + (connected || lastError == null ? "" : ", last error: " + lastError);
        return new DetectorStatus("notify", state, connected ? 0 : -1, detail);
    }

    /** Notifications received so far (tests, stats). */
    public long notificationsReceived() {
        return notifications.get();
    }

    /** How many times a LISTEN was established (1 + reconnects). */
    public long listensEstablished() {
        return listensEstablished.get();
    }

    private void listen(ChangeSink sink) {
        Backoff backoff = new Backoff(options.backoffInitial(), options.backoffMax());
        while (running) {
            Connection connection = null;
            try {
                connection = connections.open(APPLICATION_NAME);
                current = connection;
                if (!running) {
                    break;
                }
                if (options.installTriggers() && !triggersInstalled) {
                    TriggerInstaller.install(connection, new TriggerSql(options.channel(), tables.get()));
                    triggersInstalled = true;
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + TriggerSql.quote(options.channel()));
                }
                long established = listensEstablished.incrementAndGet();
                connected = true;
                failedAttempts = 0;
                backoff.reset();
                // Listening now; whatever committed while we were not is re-read by re-running everything.
                sink.invalidateAll(established == 1 ? "change listener started"
                        : "change listener reconnected after a gap");
                LOG.log(System.Logger.Level.INFO, "ARCANA-DETECT: listening on channel {0} ({1})",
                        options.channel(), established == 1 ? "first connection" : "reconnected");
                receive(connection, sink);
            } catch (SQLException | RuntimeException e) {
                connected = false;
                if (!running) {
                    break;
                }
                failedAttempts = backoff.attempts() + 1;
                lastError = DetectorLoops.describe(e);
                long delay = backoff.nextDelayMillis();
                // the first failure of an outage is a warning, the retries that follow are detail
                LOG.log(failedAttempts == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, "ARCANA-DETECT: change listener lost its connection ({0}); "
                        + "reconnecting in {1} ms (attempt {2})", lastError, delay, failedAttempts);
                DetectorLoops.closeQuietly(connection);
                if (!DetectorLoops.sleep(delay) || !running) {
                    break;
                }
            } finally {
                connected = false;
                DetectorLoops.closeQuietly(connection);
                current = null;
            }
        }
    }

    private void receive(Connection connection, ChangeSink sink) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        int pollMillis = (int) Math.max(1, options.pollInterval().toMillis());
        long heartbeatNanos = options.heartbeat().toNanos();
        long lastHeartbeat = System.nanoTime();
        while (running) {
            PGNotification[] received = pg.getNotifications(pollMillis);
            if (received != null && received.length > 0) {
                hand(received, sink);
            }
            if (System.nanoTime() - lastHeartbeat >= heartbeatNanos) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastHeartbeat = System.nanoTime();
            }
        }
    }

    /**
     * Hands the changes over one transaction at a time: PostgreSQL delivers a transaction's
     * notifications together, in order, each carrying its {@code tx} (payloads of older triggers
     * have none and go as one batch).
     */
    private void hand(PGNotification[] received, ChangeSink sink) {
        List<Change> changes = new ArrayList<>(received.length);
        long xid = -1;
        boolean unreadable = false;
        for (PGNotification notification : received) {
            if (!options.channel().equals(notification.getName())) {
                continue;
            }
            notifications.incrementAndGet();
            NotifyPayload.Notice notice;
            try {
                notice = NotifyPayload.read(notification.getParameter());
            } catch (IllegalArgumentException e) {
                malformed.incrementAndGet();
                unreadable = true;
                LOG.log(System.Logger.Level.WARNING, "ARCANA-DETECT: ignoring a malformed notification on channel "
                        + "{0} from backend {1} and re-running every view instead: {2}", options.channel(),
                        notification.getPID(), e.getMessage());
                continue;
            }
            if (notice.xid() != xid && !changes.isEmpty()) {
                handTransaction(xid, changes, sink);
                changes = new ArrayList<>();
            }
            xid = notice.xid();
            changes.add(notice.change());
        }
        if (!changes.isEmpty()) {
            handTransaction(xid, changes, sink);
        }
        if (unreadable) {
            sink.invalidateAll("malformed notification on channel " + options.channel());
        }
    }

    private static void handTransaction(long xid, List<Change> changes, ChangeSink sink) {
        if (xid < 0) {
            sink.accept(changes);
        } else {
            sink.accept(xid, changes);
        }
    }
}
