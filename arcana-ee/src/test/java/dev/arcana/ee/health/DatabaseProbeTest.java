package dev.arcana.ee.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DatabaseProbeTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
    }

    @Test
    void aDatabaseThatAnswersIsUp() {
        assertThat(new DatabaseProbe().check(dataSource(() -> { }), executor, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void aDatabaseErrorIsReportedBySqlStateOnly() {
        DataSource failing = dataSource(() -> {
            throw new SQLException("FATAL: password authentication failed for user \"arcana\"", "28P01");
        });

        assertThat(new DatabaseProbe().check(failing, executor, Duration.ofSeconds(2)))
                .contains("database error, SQLState 28P01");
    }

    @Test
    void aHangingDatabaseIsDownAfterTheDeadlineAndProbesDoNotPileUp() {
        AtomicInteger connections = new AtomicInteger();
        DataSource hanging = dataSource(() -> {
            connections.incrementAndGet();
            awaitRelease();
        });
        DatabaseProbe probe = new DatabaseProbe();

        long start = System.nanoTime();
        assertThat(probe.check(hanging, executor, Duration.ofMillis(100))).contains("no answer within 100 ms");
        assertThat(probe.check(hanging, executor, Duration.ofMillis(100))).contains("no answer within 100 ms");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(connections).hasValue(1);
    }

    private void awaitRelease() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface Connect {
        void connect() throws SQLException;
    }

    /** A DataSource whose connections run any statement successfully, after {@code onConnect}. */
    private static DataSource dataSource(Connect onConnect) {
        Statement statement = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, method, args) ->
                        method.getName().equals("execute") ? Boolean.TRUE : null);
        Connection connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) ->
                        method.getName().equals("createStatement") ? statement : null);
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        onConnect.connect();
                        return connection;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
