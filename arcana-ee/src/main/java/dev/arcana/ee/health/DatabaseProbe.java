package dev.arcana.ee.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Asks the database {@code SELECT 1} within a deadline. The query runs on the given (managed)
 * executor so that a pool that hands out no connection cannot hold the health request past the
 * deadline; at most one probe is in flight, so a hanging database does not pile up probes.
 */
public final class DatabaseProbe {
    private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();

    /** Empty when the database answered in time; otherwise why not (no SQL text, no credentials). */
    public Optional<String> check(DataSource dataSource, Executor executor, Duration timeout) {
        CompletableFuture<Void> probe = inFlight.get();
        if (probe == null || probe.isDone()) {
            CompletableFuture<Void> fresh = new CompletableFuture<>();
            if (inFlight.compareAndSet(probe, fresh)) {
                try {
                    executor.execute(() -> run(dataSource, timeout, fresh));
                } catch (RejectedExecutionException e) {
                    fresh.completeExceptionally(e);
                }
            }
            probe = inFlight.get();
        }
        try {
            probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Optional.of(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private static void run(DataSource dataSource, Duration timeout, CompletableFuture<Void> result) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            statement.execute("SELECT 1");
            result.complete(null);
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }

    private static String describe(Throwable error) {
        if (error instanceof SQLException sql) {
            return "database error" + (sql.getSQLState() == null ? "" : ", SQLState " + sql.getSQLState());
        }
        return "probe failed: " + (error == null ? "unknown" : error.getClass().getSimpleName());
    }
}
