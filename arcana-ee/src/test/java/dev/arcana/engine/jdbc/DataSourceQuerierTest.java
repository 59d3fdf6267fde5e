package dev.arcana.engine.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.engine.testing.TestDatabase;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DataSourceQuerierTest {

    private static final UUID ALICE = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID BOB = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final UUID CAROL = UUID.fromString("00000000-0000-0000-0000-00000000000c");

    private static TestDatabase.IsolatedSchema schema;

    @BeforeAll
    static void createTables() {
        schema = TestDatabase.get().isolatedSchema("querier");
        schema.execute(
                "create table people (id uuid primary key, name text not null, age int not null, active bool not null,"
                        + " balance numeric(12,2), born date, seen timestamptz)",
                "insert into people values"
                        + " ('" + ALICE + "', 'Alice', 34, true, 10.50, '1990-01-02', '2026-01-01T10:00:00Z'),"
                        + " ('" + BOB + "', 'Bob', 27, false, null, null, null),"
                        + " ('" + CAROL + "', 'Carol', 41, true, 0.00, '1985-05-06', '2026-02-01T12:30:00Z')");
    }

    private static DataSourceQuerier querier() {
        return new DataSourceQuerier(schema.dataSource(), 0);
    }

    @Test
    void queryBindsUuidIntStringAndBoolArguments() throws SQLException {
        try (DataSourceQuerier q = querier()) {
            assertThat(q.query("select name from people where id = ?", row -> row.getString(1), ALICE))
                    .containsExactly("Alice");
            assertThat(q.query("select name from people where age > ? order by age", row -> row.getString(1), 30))
                    .containsExactly("Alice", "Carol");
            assertThat(q.query("select id from people where name = ?", row -> row.getObject(1, UUID.class), "Bob"))
                    .containsExactly(BOB);
            assertThat(q.query("select name from people where active = ? order by name", row -> row.getString(1), false))
                    .containsExactly("Bob");
            assertThat(q.query("select name from people where id = ? and age = ? and name = ? and active = ?",
                    row -> row.getString(1), CAROL, 41, "Carol", true))
                    .containsExactly("Carol");
        }
    }

    @Test
    void queryBindsLongBigDecimalJavaTimeAndNull() throws SQLException {
        try (DataSourceQuerier q = querier()) {
            assertThat(q.query("select name from people where age = ?", row -> row.getString(1), 27L))
                    .containsExactly("Bob");
            assertThat(q.query("select name from people where balance = ?", row -> row.getString(1), new BigDecimal("10.5")))
                    .containsExactly("Alice");
            assertThat(q.query("select name from people where born = ?", row -> row.getString(1), LocalDate.of(1985, 5, 6)))
                    .containsExactly("Carol");
            assertThat(q.query("select name from people where seen = ?", row -> row.getString(1),
                    OffsetDateTime.of(2026, 1, 1, 11, 0, 0, 0, ZoneOffset.ofHours(1))))
                    .containsExactly("Alice");
            assertThat(q.query("select name from people where seen = ?", row -> row.getString(1),
                    Instant.parse("2026-02-01T12:30:00Z")))
                    .containsExactly("Carol");
            assertThat(q.query("select name from people where seen = ?", row -> row.getString(1),
                    Instant.parse("2026-02-01T12:30:00Z").atZone(java.time.ZoneId.of("Europe/Paris"))))
                    .containsExactly("Carol");
            assertThat(q.query("select count(*) from people where balance is not distinct from ?",
                    row -> row.getLong(1), (Object) null))
                    .containsExactly(1L);
            assertThat(q.queryOne("select ?::int is null", row -> row.getBoolean(1), (Object) null)).contains(true);
            assertThat(q.queryOne("select ?::text", row -> row.getString(1), Thread.State.RUNNABLE)).contains("RUNNABLE");
            assertThat(q.queryOne("select ?::int2 + ?::float8", row -> row.getDouble(1), (short) 2, 0.5)).contains(2.5);
        }
    }

    @Test
    void forEachRowVisitsEveryRowInOrder() throws SQLException {
        List<String> seen = new ArrayList<>();
        try (DataSourceQuerier q = querier()) {
            q.forEachRow("select name, age from people where age >= ? order by age desc",
                    row -> seen.add(row.getString("name") + ":" + row.getInt("age")), 0);
        }
        assertThat(seen).containsExactly("Carol:41", "Alice:34", "Bob:27");
    }

    @Test
    void queryOneIsEmptyWhenNoRowAndFirstRowOtherwise() throws SQLException {
        try (DataSourceQuerier q = querier()) {
            assertThat(q.queryOne("select name from people where id = ?", row -> row.getString(1), UUID.randomUUID()))
                    .isEmpty();
            assertThat(q.queryOne("select name from people order by age", row -> row.getString(1))).contains("Bob");
            // a null first column maps to empty, too
            assertThat(q.queryOne("select balance from people where id = ?", row -> row.getBigDecimal(1), BOB))
                    .isEqualTo(Optional.empty());
        }
    }

    @Test
    void queryLongCountsAndIsZeroWithoutRow() throws SQLException {
        try (DataSourceQuerier q = querier()) {
            assertThat(q.queryLong("select count(*) from people")).isEqualTo(3);
            assertThat(q.queryLong("select count(*) from people where active = ?", true)).isEqualTo(2);
            assertThat(q.queryLong("select age from people where id = ?", UUID.randomUUID())).isZero();
        }
    }

    @Test
    void oneConnectionIsHeldForTheWholeRun() throws SQLException {
        CountingDataSource counting = new CountingDataSource(schema.dataSource());
        try (DataSourceQuerier q = new DataSourceQuerier(counting, 0)) {
            int pid = q.queryOne("select pg_backend_pid()", row -> row.getInt(1)).orElseThrow();
            // session state set by one query is visible to the next
            q.queryOne("select set_config('arcana.test_marker', ?, false)", row -> row.getString(1), "run-1");
            assertThat(q.queryOne("select current_setting('arcana.test_marker')", row -> row.getString(1)))
                    .contains("run-1");
            assertThat(q.queryOne("select pg_backend_pid()", row -> row.getInt(1))).contains(pid);
            q.forEachRow("select pg_backend_pid()", row -> assertThat(row.getInt(1)).isEqualTo(pid));
            assertThat(counting.borrowed.get()).isEqualTo(1);
        }
        // a new run gets a new session
        try (DataSourceQuerier q = new DataSourceQuerier(counting, 0)) {
            assertThat(q.queryOne("select current_setting('arcana.test_marker', true)", row -> row.getString(1)))
                    .isEmpty();
        }
        assertThat(counting.borrowed.get()).isEqualTo(2);
        assertThat(counting.open.get()).isZero();
    }

    @Test
    void connectionIsBorrowedLazilyAndReturnedByCloseOnce() throws SQLException {
        CountingDataSource counting = new CountingDataSource(schema.dataSource());
        DataSourceQuerier q = new DataSourceQuerier(counting, 0);
        assertThat(counting.open.get()).isZero();
        assertThat(q.holdsConnection()).isFalse();

        q.queryLong("select 1");
        q.queryLong("select 2");
        assertThat(counting.open.get()).isEqualTo(1);
        assertThat(q.holdsConnection()).isTrue();

        q.close();
        assertThat(counting.open.get()).isZero();
        assertThat(counting.closeCalls.get()).isEqualTo(1);
        q.close();
        assertThat(counting.closeCalls.get()).isEqualTo(1);
        assertThat(q.holdsConnection()).isFalse();

        assertThatThrownBy(() -> q.queryLong("select 1"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
        assertThat(counting.borrowed.get()).isEqualTo(1);

        // a run that never queries borrows nothing
        new DataSourceQuerier(counting, 0).close();
        assertThat(counting.borrowed.get()).isEqualTo(1);
    }

    @Test
    void statementsAndResultSetsAreClosedEvenWhenTheMapperFails() throws SQLException {
        CountingDataSource counting = new CountingDataSource(schema.dataSource());
        try (DataSourceQuerier q = new DataSourceQuerier(counting, 0)) {
            q.query("select name from people", row -> row.getString(1));
            q.forEachRow("select name from people", row -> { });
            q.queryOne("select name from people where id = ?", row -> row.getString(1), ALICE);
            assertThatThrownBy(() -> q.query("select name from people", row -> {
                throw new SQLException("mapper failed", "XX001");
            })).hasMessage("mapper failed");
            assertThatThrownBy(() -> q.forEachRow("select name from people", row -> {
                throw new IllegalStateException("handler failed");
            })).hasMessage("handler failed");
            assertThatThrownBy(() -> q.query("select nope from people", row -> row.getString(1)))
                    .isInstanceOf(SQLException.class);
            assertThat(counting.statementsOpened.get()).isEqualTo(6);
            assertThat(counting.openStatements.get()).isZero();
            assertThat(counting.openResultSets.get()).isZero();
        }
    }

    @Test
    void sqlErrorsSurfaceAsSqlExceptionsWithSqlState() throws SQLException {
        try (DataSourceQuerier q = querier()) {
            assertThatThrownBy(() -> q.query("select * from no_such_table", row -> 1))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42P01"));
            assertThatThrownBy(() -> q.query("selec 1", row -> 1))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42601"));
            assertThatThrownBy(() -> q.queryLong("select 1 / ?", 0))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22012"));
            assertThatThrownBy(() -> q.query("select * from people where id = ?", row -> 1, "not-a-uuid"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42883"));
            // the (auto-commit) connection is still usable after errors
            assertThat(q.queryLong("select count(*) from people")).isEqualTo(3);
        }
    }

    @Test
    void queryTimeoutCancelsSlowStatements() throws SQLException {
        try (DataSourceQuerier q = new DataSourceQuerier(schema.dataSource(), 1)) {
            long begin = System.nanoTime();
            assertThatThrownBy(() -> q.queryLong("select count(*) from pg_sleep(10)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat((System.nanoTime() - begin) / 1_000_000).isLessThan(8_000);
            assertThat(q.queryLong("select 7")).isEqualTo(7);
        }
    }

    @Test
    void aSubSecondQueryTimeoutCancelsAtItsExactDeadline() throws SQLException {
        ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor();
        try (DataSourceQuerier q = new DataSourceQuerier(schema.dataSource(), Duration.ofMillis(300), canceller)) {
            long begin = System.nanoTime();
            assertThatThrownBy(() -> q.queryLong("select count(*) from pg_sleep(10)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            long tookMs = (System.nanoTime() - begin) / 1_000_000;
            assertThat(tookMs).isBetween(250L, 950L); // the driver's rounded-up 1 s would take longer
            assertThat(q.queryLong("select 7")).isEqualTo(7);
            // the cancel is disarmed after a fast statement: a later one is not hit by a stale cancel
            assertThat(q.queryLong("select count(*) from pg_sleep(0.1)")).isEqualTo(1);
        } finally {
            canceller.shutdownNow();
        }
    }

    @Test
    void aSubSecondQueryTimeoutWithoutACancellerRoundsUpInsteadOfMeaningNone() throws SQLException {
        try (DataSourceQuerier q = new DataSourceQuerier(schema.dataSource(), Duration.ofMillis(300), null)) {
            long begin = System.nanoTime();
            assertThatThrownBy(() -> q.queryLong("select count(*) from pg_sleep(10)"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat((System.nanoTime() - begin) / 1_000_000).isLessThan(8_000);
        }
    }

    /** Wraps a data source and counts connections, statements and result sets that are still open. */
    static class CountingDataSource implements DataSource {
        final DataSource delegate;
        final AtomicInteger borrowed = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger closeCalls = new AtomicInteger();
        final AtomicInteger statementsOpened = new AtomicInteger();
        final AtomicInteger openStatements = new AtomicInteger();
        final AtomicInteger openResultSets = new AtomicInteger();

        CountingDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = delegate.getConnection();
            borrowed.incrementAndGet();
            open.incrementAndGet();
            return proxy(Connection.class, connection, (target, method, args) -> {
                Object result = invoke(target, method, args);
                switch (method.getName()) {
                    case "close" -> {
                        closeCalls.incrementAndGet();
                        open.decrementAndGet();
                    }
                    case "prepareStatement" -> {
                        statementsOpened.incrementAndGet();
                        openStatements.incrementAndGet();
                        return statement((PreparedStatement) result);
                    }
                    default -> {
                    }
                }
                return result;
            });
        }

        private PreparedStatement statement(PreparedStatement statement) {
            AtomicInteger closed = new AtomicInteger();
            return proxy(PreparedStatement.class, statement, (target, method, args) -> {
                Object result = invoke(target, method, args);
                if (method.getName().equals("close") && closed.getAndIncrement() == 0) {
                    openStatements.decrementAndGet();
                } else if (method.getName().equals("executeQuery")) {
                    openResultSets.incrementAndGet();
                    AtomicInteger rsClosed = new AtomicInteger();
                    return proxy(ResultSet.class, (ResultSet) result, (rs, m, a) -> {
                        Object r = invoke(rs, m, a);
                        if (m.getName().equals("close") && rsClosed.getAndIncrement() == 0) {
                            openResultSets.decrementAndGet();
                        }
                        return r;
                    });
                }
                return result;
            });
        }

        private interface Handler<T> {
            Object handle(T target, java.lang.reflect.Method method, Object[] args) throws Throwable;
        }

        private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
            InvocationHandler h = (p, method, args) -> handler.handle(target, method, args);
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLException("not used");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("dev.arcana");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
