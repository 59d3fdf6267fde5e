package dev.arcana.engine.jdbc;

import dev.arcana.api.MutationQuerier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The engine's {@link Querier} for ONE factory run: borrows one connection from the data source on
 * the first query and holds it until {@link #close()}, so every query of the run sees the same
 * session (temp tables, settings, the same snapshot when the caller opens a transaction).
 *
 * <p>Arguments bind positionally: null through {@code setObject(i, null)}, numbers, booleans and
 * strings through their native setters, {@code Instant} and {@code ZonedDateTime} as
 * {@code OffsetDateTime} (pgjdbc cannot infer a type for them), enums by name, anything else
 * (UUID, BigDecimal, LocalDate, OffsetDateTime, byte[], arrays, ...) through {@code setObject}.
 *
 * <p>The connection is used as the data source hands it out: its auto-commit and read-only flags
 * are not touched (applications may call functions that write). Statements and result sets are
 * always closed before a method returns. Not meant to be shared between threads; the methods are
 * nevertheless synchronized so that a factory that fans out does not interleave on the wire.
 */
public final class DataSourceQuerier implements MutationQuerier, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DataSourceQuerier.class.getName());

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;
    private final long queryTimeoutNanos;
    private final ScheduledExecutorService canceller;
    private Connection connection;
    /** Whether {@link #close()} gives the connection back: false for a mutation's, which its transaction owns. */
    private final boolean ownsConnection;
    private boolean closed;

    /**
     * @param dataSource          where the connection is borrowed from
     * @param queryTimeoutSeconds timeout of each statement ({@link java.sql.Statement#setQueryTimeout}),
     *                            0 or negative for none
     */
    public DataSourceQuerier(DataSource dataSource, int queryTimeoutSeconds) {
        this(dataSource, Duration.ofSeconds(Math.max(0, queryTimeoutSeconds)), null);
    }

    /**
     * @param dataSource   where the connection is borrowed from
     * @param queryTimeout timeout of each statement, zero or negative for none. JDBC only takes whole
     *                     seconds: the driver gets it rounded up, and a timeout that is not a whole
     *                     number of seconds is enforced exactly by {@link Statement#cancel} at the deadline
     * @param canceller    runs those cancels; without one, a sub-second remainder rounds up
     */
    public DataSourceQuerier(DataSource dataSource, Duration queryTimeout, ScheduledExecutorService canceller) {
        this(Objects.requireNonNull(dataSource, "dataSource"), null, queryTimeout, canceller);
    }

    private DataSourceQuerier(DataSource dataSource, Connection transactionConnection, Duration queryTimeout,
                              ScheduledExecutorService canceller) {
        this.dataSource = dataSource;
        this.connection = transactionConnection;
        this.ownsConnection = transactionConnection == null;
        long nanos = queryTimeout == null || queryTimeout.isNegative() ? 0 : queryTimeout.toNanos();
        this.queryTimeoutNanos = nanos;
        // rounded up: (int) toSeconds() turned 500 ms into 0, i.e. no timeout at all
        this.queryTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999_999L) / 1_000_000_000L);
        this.canceller = canceller;
    }

    /**
     * A querier on a mutation's transaction: every statement runs on {@code connection}, which
     * {@link #close()} leaves open (the transaction commits or rolls back, then closes it).
     */
    public static DataSourceQuerier onTransaction(Connection connection, Duration queryTimeout,
                                                  ScheduledExecutorService canceller) {
        return new DataSourceQuerier(null, Objects.requireNonNull(connection, "connection"), queryTimeout, canceller);
    }

    public DataSourceQuerier(DataSource dataSource) {
        this(dataSource, 0);
    }

    @Override
    public synchronized <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        Objects.requireNonNull(mapper, "mapper");
        List<T> rows = new ArrayList<>();
        try (PreparedStatement statement = prepare(sql, args); ResultSet resultSet = execute(statement)) {
            while (resultSet.next()) {
                rows.add(mapper.map(resultSet));
            }
        }
        return rows;
    }

    @Override
    public synchronized void forEachRow(String sql, RowHandler handler, Object... args) throws SQLException {
        Objects.requireNonNull(handler, "handler");
        try (PreparedStatement statement = prepare(sql, args); ResultSet resultSet = execute(statement)) {
            while (resultSet.next()) {
                handler.handle(resultSet);
            }
        }
    }

    @Override
    public synchronized int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = prepare(sql, args)) {
            return withExactTimeout(statement, statement::executeUpdate);
        }
    }

    /** True once a connection has been borrowed and not yet returned. */
    public synchronized boolean holdsConnection() {
        return connection != null;
    }

    /** Returns the connection to the data source (if one was borrowed). Idempotent; never throws. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection held = connection;
        connection = null;
        if (held != null && ownsConnection) {
            try {
                held.close();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-JDBC: could not return the connection of a factory run", e);
            }
        }
    }

    /** Executes with an exact cancel when the timeout is not a whole number of seconds. */
    private ResultSet execute(PreparedStatement statement) throws SQLException {
        return withExactTimeout(statement, statement::executeQuery);
    }

    private interface Execution<T> {
        T run() throws SQLException;
    }

    private <T> T withExactTimeout(Statement statement, Execution<T> execution) throws SQLException {
        boolean exact = canceller != null && queryTimeoutNanos % 1_000_000_000L != 0;
        if (!exact) {
            return execution.run();
        }
        ScheduledFuture<?> cancel;
        try {
            cancel = canceller.schedule(() -> cancel(statement), queryTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return execution.run(); // stopping: the rounded-up driver timeout still bounds it
        }
        try {
            return execution.run();
        } finally {
            cancel.cancel(false);
        }
    }

    private static void cancel(Statement statement) {
        try {
            statement.cancel(); // PostgreSQL answers 57014 (query_canceled), as for its own timeout
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-JDBC: cancelling a statement past its timeout failed", e);
        }
    }

    private PreparedStatement prepare(String sql, Object[] args) throws SQLException {
        Objects.requireNonNull(sql, "sql");
        PreparedStatement statement = connection().prepareStatement(sql);
        try {
            if (queryTimeoutSeconds > 0) {
                statement.setQueryTimeout(queryTimeoutSeconds);
            }
            if (args != null) {
                for (int i = 0; i < args.length; i++) {
                    bind(statement, i + 1, args[i]);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            try {
                statement.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (closed) {
            // 08003: connection does not exist
            throw new SQLException("this querier is closed: its factory run has ended", "08003");
        }
        if (connection == null) {
            Connection borrowed = dataSource.getConnection();
            if (borrowed == null) {
                throw new SQLException("the data source returned no connection", "08001");
            }
            connection = borrowed;
        }
        return connection;
    }

    static void bind(PreparedStatement statement, int index, Object arg) throws SQLException {
        if (arg == null) {
            statement.setObject(index, null);
        } else if (arg instanceof Integer value) {
            statement.setInt(index, value);
        } else if (arg instanceof Long value) {
            statement.setLong(index, value);
        } else if (arg instanceof Short value) {
            statement.setShort(index, value);
        } else if (arg instanceof Byte value) {
            statement.setShort(index, value);
        } else if (arg instanceof Double value) {
            statement.setDouble(index, value);
        } else if (arg instanceof Float value) {
            statement.setFloat(index, value);
        } else if (arg instanceof Boolean value) {
            statement.setBoolean(index, value);
        } else if (arg instanceof String value) {
            statement.setString(index, value);
        } else if (arg instanceof Instant value) {
            // pgjdbc 42.7 binds OffsetDateTime (timestamptz) but cannot infer a type for Instant
            statement.setObject(index, value.atOffset(ZoneOffset.UTC));
        } else if (arg instanceof ZonedDateTime value) {
            // ... nor for ZonedDateTime
            statement.setObject(index, value.toOffsetDateTime());
        } else if (arg instanceof Enum<?> value) {
            statement.setString(index, value.name());
        } else {
            // UUID, BigDecimal, LocalDate/LocalDateTime/OffsetDateTime/..., byte[], arrays: pgjdbc infers the type
            statement.setObject(index, arg);
        }
    }
}
