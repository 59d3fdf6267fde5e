package dev.arcana.engine.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies {@link TriggerSql} statements in one transaction, serialised across app instances by a
 * transaction-scoped advisory lock (two instances re-creating the same triggers at once would
 * otherwise fail with "tuple concurrently updated" or deadlock).
 */
public final class TriggerInstaller {
    /** Advisory lock key: "arcana" in ASCII, so that it is recognisable in pg_locks. */
    static final long LOCK_KEY = 0x61_72_63_61_6e_61L;

    private TriggerInstaller() {
    }

    /** Idempotently creates every trigger ({@code ensureTriggers}). */
    public static void install(Connection connection, TriggerSql triggers) throws SQLException {
        apply(connection, triggers.createSql());
    }

    /** Removes every trigger and function {@link #install} creates. */
    public static void remove(Connection connection, TriggerSql triggers) throws SQLException {
        apply(connection, triggers.dropSql());
    }

    private static void apply(Connection connection, List<String> statements) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            for (String sql : statements) {
                statement.execute(sql);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
