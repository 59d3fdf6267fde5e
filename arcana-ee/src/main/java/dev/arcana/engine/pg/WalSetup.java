package dev.arcana.engine.pg;

import dev.arcana.api.TableDependency;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The database side of WAL mode, run on a plain connection before each replication connection:
 * resolves the declared tables to schema-qualified relations, ensures the publication (creating
 * it, or adding missing tables — never removing tables another app instance may need) and the
 * permanent slot. Serialised across app instances by the same advisory lock as the trigger
 * installation. Also the slot's lag and its removal.
 */
public final class WalSetup {
    private static final System.Logger LOG = System.getLogger(WalSetup.class.getName());

    /**
     * @param declaredTables {@code "schema.relation"} → declared table name
     * @param slotCreated    whether the slot had to be created (changes before it were not recorded)
     */
    public record Prepared(Map<String, String> declaredTables, boolean slotCreated) {
    }

    private WalSetup() {
    }

    public static Prepared prepare(Connection connection, Map<String, TableDependency> dependencies,
                                   WalDetector.Options options, String slot) throws SQLException {
        Map<String, String> declared = resolve(connection, dependencies);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + TriggerInstaller.LOCK_KEY + ")");
            ensurePublication(connection, options, declared.keySet());
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        // outside any transaction: a slot cannot be created in a transaction that wrote
        boolean created = ensureSlot(connection, slot);
        return new Prepared(declared, created);
    }

    /** Drops a slot if it exists (e.g. of an app instance that is gone for good); true when dropped. */
    public static boolean dropSlot(Connection connection, String slot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Bytes of WAL between the server's current position and what the slot acknowledged; -1 without slot. */
    public static long slotLag(Connection connection, String slot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
                + "confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Math.max(0, rows.getLong(1)) : -1;
            }
        }
    }

    /** Declared table → its relation; fails naming the tables that do not exist. */
    static Map<String, String> resolve(Connection connection, Map<String, TableDependency> dependencies)
            throws SQLException {
        Map<String, String> declared = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT n.nspname, c.relname, c.relreplident "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)")) {
            for (Map.Entry<String, TableDependency> entry : dependencies.entrySet()) {
                statement.setString(1, TriggerSql.quoteQualified(TriggerSql.validateTable(entry.getValue().table())));
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        missing.add(entry.getKey());
                        continue;
                    }
                    declared.put(rows.getString(1) + "." + rows.getString(2), entry.getKey());
                    if (entry.getValue().tenantColumn() != null && !"f".equals(rows.getString(3))) {
                        LOG.log(System.Logger.Level.INFO, "ARCANA-DETECT: table {0} is tenant-scoped but not "
                                + "REPLICA IDENTITY FULL: its deletes reach the views of every workspace", entry.getKey());
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new SQLException("WAL mode: the graphs depend on tables that do not exist: " + missing);
        }
        return declared;
    }

    private static void ensurePublication(Connection connection, WalDetector.Options options, Set<String> relations)
            throws SQLException {
        String publication = TriggerSql.quote(options.publication());
        boolean exists;
        boolean allTables = false;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
            statement.setString(1, options.publication());
            try (ResultSet rows = statement.executeQuery()) {
                exists = rows.next();
                if (exists) {
                    allTables = rows.getBoolean(1);
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            if (!exists) {
                statement.execute("CREATE PUBLICATION " + publication + (options.allTables() || relations.isEmpty()
                        ? " FOR ALL TABLES" : " FOR TABLE " + quotedList(relations)));
                LOG.log(System.Logger.Level.INFO, "ARCANA-DETECT: created publication {0}", options.publication());
                return;
            }
            if (allTables) {
                return;
            }
            Set<String> missing = new HashSet<>(relations);
            try (PreparedStatement published = connection.prepareStatement(
                    "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
                published.setString(1, options.publication());
                try (ResultSet rows = published.executeQuery()) {
                    while (rows.next()) {
                        missing.remove(rows.getString(1));
                    }
                }
            }
            if (!missing.isEmpty()) {
                statement.execute("ALTER PUBLICATION " + publication + " ADD TABLE " + quotedList(missing));
                LOG.log(System.Logger.Level.INFO, "ARCANA-DETECT: added {0} to publication {1}", missing,
                        options.publication());
            }
        }
    }

    private static boolean ensureSlot(Connection connection, String slot) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT plugin FROM pg_replication_slots WHERE slot_name = ?")) {
            exists.setString(1, slot);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    if (!"pgoutput".equals(rows.getString(1))) {
                        throw new SQLException("replication slot " + slot + " exists with plugin " + rows.getString(1)
                                + ", not pgoutput: choose another slot name or drop it");
                    }
                    return false;
                }
            }
        }
        try (PreparedStatement create = connection.prepareStatement(
                "SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
            create.setString(1, slot);
            create.execute();
        } catch (SQLException e) {
            if ("42710".equals(e.getSQLState())) { // duplicate_object: created by a concurrent start
                return false;
            }
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "ARCANA-DETECT: created replication slot {0}", slot);
        return true;
    }

    private static String quotedList(Set<String> relations) {
        List<String> quoted = new ArrayList<>();
        for (String relation : relations) {
            int dot = relation.indexOf('.');
            quoted.add(TriggerSql.quote(relation.substring(0, dot)) + "." + TriggerSql.quote(relation.substring(dot + 1)));
        }
        quoted.sort(null);
        return String.join(", ", quoted);
    }
}
