package dev.arcana.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Splits the latency: a LISTEN connection of the driver's own on the trigger channel records commit
 * → NOTIFY arrival for each change (against the row's latest logged commit), which is the part of
 * commit → frame spent in the database and the network before the engine sees the change.
 */
final class NotifyProbe implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final CommitLog log;
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final Connection connection;
    private final Thread thread;
    private volatile boolean running = true;

    NotifyProbe(String jdbcUrl, String channel, CommitLog log) throws SQLException {
        this.log = log;
        this.connection = Fixture.connect(jdbcUrl);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + channel);
        }
        thread = new Thread(this::listen, "load-notify-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void listen() {
        try {
            PGConnection pg = connection.unwrap(PGConnection.class);
            while (running) {
                PGNotification[] received = pg.getNotifications(100);
                long now = System.nanoTime();
                if (received == null) {
                    continue;
                }
                for (PGNotification notification : received) {
                    Matcher id = ID.matcher(notification.getParameter());
                    CommitLog.RowCommits commits = id.find() ? log.of(id.group(1)) : null;
                    long committed = commits == null ? -1 : commits.lastNanos();
                    if (committed > 0) {
                        latencies.record(committed, now);
                    }
                }
            }
        } catch (SQLException e) {
            if (running) {
                System.err.println("[load] notify probe stopped: " + e.getMessage());
            }
        }
    }

    /** Nothing counts until {@link #measureFrom} (a warm-up is starting). */
    void holdUntilMeasureFrom() {
        latencies.holdUntilMeasureFrom();
    }

    /** Only commits made at or after {@code nanos} count (the warm-up is over). */
    void measureFrom(long nanos) {
        latencies.measureFrom(nanos);
    }

    LatencyRecorder latencies() {
        return latencies;
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(2_000);
        connection.close();
    }
}
