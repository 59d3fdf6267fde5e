package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.TableDependency;
import dev.arcana.engine.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The generated trigger SQL against the real PostgreSQL: exact payloads received by a LISTEN on a
 * dedicated connection. "Nothing was sent" is checked without sleeping: a marker is notified after
 * the write, and the marker must be the next notification (same-channel notifications of
 * successive transactions arrive in commit order).
 */
class TriggerSqlTest {

    private static final long DEADLINE_MILLIS = 10_000;
    private static final String MARKER = "marker";

    private static TestDatabase.IsolatedSchema schema;
    private static TestDatabase.IsolatedSchema other;
    private static String channel;
    private static TriggerSql triggers;

    private Connection listener;
    private Connection writer;

    @BeforeAll
    static void createTables() {
        schema = TestDatabase.get().isolatedSchema("trigger_sql");
        other = TestDatabase.get().isolatedSchema("trigger_app");
        channel = "arcana_test_" + schema.name(); // channels are database-wide: one per test class
        schema.execute(
                "create table users (id bigint primary key, name text, email text, note text, meta json)",
                "create table members (id text primary key, ws text, name text)",
                "create table things (code text primary key, id int, label text)",
                "create table wide (id text primary key, a text)");
        other.execute("create table items (id int primary key, title text)");
        Map<String, TableDependency> tables = new LinkedHashMap<>();
        tables.put("users", TableDependency.of("users", "name", "email", "meta"));
        tables.put("members", TableDependency.of("members", "name").tenantColumn("ws"));
        tables.put("things", TableDependency.of("things", "label").keyColumn("code"));
        tables.put("wide", TableDependency.of("wide", "a"));
        String items = other.qualify("items");
        tables.put(items, TableDependency.of(items, "title"));
        triggers = new TriggerSql(channel, tables);
        apply(triggers.createSql());
        apply(triggers.createSql()); // idempotent
    }

    @AfterAll
    static void dropTriggers() {
        if (triggers != null) {
            apply(triggers.dropSql());
        }
    }

    @BeforeEach
    void connect() throws SQLException {
        listener = schema.connect();
        try (Statement st = listener.createStatement()) {
            st.execute("LISTEN " + TriggerSql.quote(channel));
        }
        writer = schema.connect();
    }

    @AfterEach
    void close() throws SQLException {
        listener.close();
        writer.close();
        schema.execute("truncate users, members, things, wide");
        other.execute("truncate items");
    }

    @Test
    void insertNotifiesTheKey() throws Exception {
        sql("insert into users (id, name) values (1, 'ann')");
        assertThat(next()).isEqualTo("{\"table\" : \"users\", \"id\" : \"1\", \"op\" : \"INSERT\"}");
        assertThat(NotifyPayload.parse(last)).isEqualTo(Change.insert("users", "1", null));
        assertNothingMore();
    }

    @Test
    void updateOfTrackedColumnsListsTheChangedOnes() throws Exception {
        sql("insert into users (id, name, email) values (1, 'ann', 'a@x')");
        skip(1);
        sql("update users set email = 'b@x' where id = 1");
        assertThat(next()).isEqualTo(
                "{\"table\" : \"users\", \"id\" : \"1\", \"op\" : \"UPDATE\", \"columns\" : [\"email\"]}");
        sql("update users set email = 'c@x', name = 'bea', note = 'n' where id = 1");
        assertThat(next()).isEqualTo(
                "{\"table\" : \"users\", \"id\" : \"1\", \"op\" : \"UPDATE\", \"columns\" : [\"name\",\"email\"]}");
        assertThat(NotifyPayload.parse(last)).isEqualTo(Change.update("users", "1", null, "name", "email"));
        sql("update users set name = null where id = 1"); // to NULL is a change
        assertThat(next()).contains("\"columns\" : [\"name\"]");
        sql("update users set meta = '{\"a\": 1}' where id = 1"); // json has no equality operator
        assertThat(next()).contains("\"columns\" : [\"meta\"]");
        assertNothingMore();
    }

    @Test
    void updateOfAnUntrackedColumnIsSilent() throws Exception {
        sql("insert into users (id, name, note) values (1, 'ann', 'x')");
        skip(1);
        sql("update users set note = 'y' where id = 1");
        assertNothingMore();
    }

    @Test
    void noOpUpdateIsSilent() throws Exception {
        sql("insert into users (id, name, email, meta) values (1, 'ann', null, '{\"a\":1}')");
        skip(1);
        sql("update users set name = 'ann', email = null, meta = '{\"a\":1}' where id = 1");
        sql("update users set id = id");
        assertNothingMore();
    }

    @Test
    void deleteNotifiesTheOldKey() throws Exception {
        sql("insert into users (id, name) values (7, 'ann')");
        skip(1);
        sql("delete from users where id = 7");
        assertThat(next()).isEqualTo("{\"table\" : \"users\", \"id\" : \"7\", \"op\" : \"DELETE\"}");
        assertNothingMore();
    }

    @Test
    void truncateNotifiesTheWholeTable() throws Exception {
        sql("insert into users (id, name) values (1, 'ann')");
        skip(1);
        sql("truncate users");
        assertThat(next()).isEqualTo("{\"table\" : \"users\", \"op\" : \"TRUNCATE\"}");
        assertThat(NotifyPayload.parse(last)).isEqualTo(new Change("users", null, ChangeOp.TRUNCATE, Set.of(), null));
        assertNothingMore();
    }

    @Test
    void tenantValueGoesToWs() throws Exception {
        sql("insert into members (id, ws, name) values ('m1', 'acme', 'ann')");
        assertThat(next()).isEqualTo("{\"table\" : \"members\", \"id\" : \"m1\", \"op\" : \"INSERT\", \"ws\" : \"acme\"}");
        sql("update members set name = 'bea' where id = 'm1'");
        assertThat(next()).isEqualTo(
                "{\"table\" : \"members\", \"id\" : \"m1\", \"op\" : \"UPDATE\", \"columns\" : [\"name\"], \"ws\" : \"acme\"}");
        assertThat(NotifyPayload.parse(last)).isEqualTo(Change.update("members", "m1", "acme", "name"));
        sql("insert into members (id, ws, name) values ('m2', null, 'x')"); // no tenant: no ws
        assertThat(next()).isEqualTo("{\"table\" : \"members\", \"id\" : \"m2\", \"op\" : \"INSERT\"}");
        sql("delete from members where id = 'm1'");
        assertThat(next()).isEqualTo("{\"table\" : \"members\", \"id\" : \"m1\", \"op\" : \"DELETE\", \"ws\" : \"acme\"}");
        assertNothingMore();
    }

    @Test
    void aRowMovingToAnotherWorkspaceOrKeyIsADeleteAndAnInsert() throws Exception {
        sql("insert into members (id, ws, name) values ('m1', 'acme', 'ann')");
        skip(1);
        sql("update members set ws = 'globex' where id = 'm1'"); // tenant is not a tracked column
        assertThat(NotifyPayload.parse(next())).isEqualTo(Change.delete("members", "m1", "acme"));
        assertThat(NotifyPayload.parse(next())).isEqualTo(Change.insert("members", "m1", "globex"));
        sql("update members set id = 'm9' where id = 'm1'");
        assertThat(NotifyPayload.parse(next())).isEqualTo(Change.delete("members", "m1", "globex"));
        assertThat(NotifyPayload.parse(next())).isEqualTo(Change.insert("members", "m9", "globex"));
        assertNothingMore();
    }

    @Test
    void idsAndTenantsAreJsonEscaped() throws Exception {
        String nasty = "a\"b\\c'd\ne\u00e9\u0001}";
        try (PreparedStatement ps = writer.prepareStatement("insert into members (id, ws, name) values (?, ?, 'x')")) {
            ps.setString(1, nasty);
            ps.setString(2, "w\"s\\");
            ps.executeUpdate();
        }
        assertThat(next()).isEqualTo("{\"table\" : \"members\", \"id\" : \"a\\\"b\\\\c'd\\ne\u00e9\\u0001}\", "
                + "\"op\" : \"INSERT\", \"ws\" : \"w\\\"s\\\\\"}");
        assertThat(NotifyPayload.parse(last)).isEqualTo(Change.insert("members", nasty, "w\"s\\"));
        assertNothingMore();
    }

    @Test
    void schemaQualifiedTable() throws Exception {
        String items = other.qualify("items");
        other.execute("insert into items (id, title) values (3, 't')", "update items set title = 'u' where id = 3");
        assertThat(next()).isEqualTo("{\"table\" : \"" + items + "\", \"id\" : \"3\", \"op\" : \"INSERT\"}");
        assertThat(NotifyPayload.parse(next())).isEqualTo(Change.update(items, "3", null, "title"));
        other.execute("truncate items");
        assertThat(next()).isEqualTo("{\"table\" : \"" + items + "\", \"op\" : \"TRUNCATE\"}");
        assertThat(functionExists(other.name(), "arcana_notify_" + other.name() + "__items")).isTrue();
        assertNothingMore();
    }

    @Test
    void customKeyColumn() throws Exception {
        sql("insert into things (code, id, label) values ('c-1', 42, 'l')");
        assertThat(next()).isEqualTo("{\"table\" : \"things\", \"id\" : \"c-1\", \"op\" : \"INSERT\"}");
        sql("update things set label = 'm', id = 43 where code = 'c-1'"); // "id" is an ordinary column here
        assertThat(next()).isEqualTo(
                "{\"table\" : \"things\", \"id\" : \"c-1\", \"op\" : \"UPDATE\", \"columns\" : [\"label\"]}");
        assertNothingMore();
    }

    @Test
    void oversizedPayloadDropsTheColumnsThenTheId() throws Exception {
        // with "columns":["a"] the payload is just over the limit, without it just under
        String prefix = "{\"table\" : \"wide\", \"id\" : \"";
        String suffix = "\", \"op\" : \"UPDATE\"}";
        String key = "k".repeat(TriggerSql.MAX_PAYLOAD_BYTES - prefix.length() - suffix.length() - TX_FIELD_LENGTH);
        try (PreparedStatement ps = writer.prepareStatement("insert into wide (id, a) values (?, 'x')")) {
            ps.setString(1, key);
            ps.executeUpdate();
        }
        next();
        assertThat(last.length()).isEqualTo(TriggerSql.MAX_PAYLOAD_BYTES); // INSERT and UPDATE are as long
        sql("update wide set a = 'y'");
        assertThat(next().equals(prefix + key + suffix)).as("payload without columns").isTrue();
        assertThat(last.getBytes(StandardCharsets.UTF_8).length).isEqualTo(TriggerSql.MAX_PAYLOAD_BYTES);
        assertThat(NotifyPayload.parse(last).columns()).isEmpty(); // meaning: all
        // a key that cannot fit at all: table-wide instead of failing the writer's transaction
        String huge = "\u00e9".repeat(5_000); // 10,000 bytes
        try (PreparedStatement ps = writer.prepareStatement("insert into wide (id, a) values (?, 'x')")) {
            ps.setString(1, huge);
            ps.executeUpdate();
        }
        assertThat(next()).isEqualTo("{\"table\" : \"wide\", \"id\" : null, \"op\" : \"UPDATE\"}");
        assertThat(NotifyPayload.parse(last)).isEqualTo(Change.tableWide("wide"));
        assertNothingMore();
    }

    @Test
    void oneTransactionArrivesAtCommitInOrder() throws Exception {
        writer.setAutoCommit(false);
        sql("insert into users (id, name) values (1, 'a')");
        sql("insert into users (id, name) values (2, 'b')");
        sql("delete from users where id = 1");
        writer.commit();
        writer.setAutoCommit(true);
        assertThat(List.of(next(), next(), next())).extracting(p -> NotifyPayload.parse(p))
                .containsExactly(Change.insert("users", "1", null), Change.insert("users", "2", null),
                        Change.delete("users", "1", null));
        assertNothingMore();
    }

    @Test
    void aMisspeltColumnFailsTheInstallationNotTheWrites() {
        TriggerSql bad = new TriggerSql(channel, Map.of("users", TableDependency.of("users", "nmae")));
        assertThatThrownBy(() -> apply(bad.createSql())).hasMessageContaining("nmae");
        // the transaction rolled back: the good triggers are still there
        assertThat(triggerCount(schema.name(), "users")).isEqualTo(2);
    }

    @Test
    void dropSqlRemovesEverything() throws Exception {
        schema.execute("create table dropme (id int primary key, a text)");
        TriggerSql dropMe = new TriggerSql(channel, Map.of("dropme", TableDependency.of("dropme", "a")));
        apply(dropMe.createSql());
        assertThat(triggerCount(schema.name(), "dropme")).isEqualTo(2);
        assertThat(functionExists(schema.name(), "arcana_notify_dropme")).isTrue();
        sql("insert into dropme values (1, 'x')");
        assertThat(next()).contains("\"dropme\"");
        apply(dropMe.dropSql());
        apply(dropMe.dropSql()); // idempotent
        assertThat(triggerCount(schema.name(), "dropme")).isZero();
        assertThat(functionExists(schema.name(), "arcana_notify_dropme")).isFalse();
        sql("insert into dropme values (2, 'y')");
        sql("truncate dropme");
        assertNothingMore();
        schema.execute("drop table dropme");
    }

    @Test
    void invalidIdentifiersAreRejected() {
        for (String table : List.of("", "1users", "us-ers", "a.b.c", "users;drop", "\"users\"", "a.", ".a", "x".repeat(64))) {
            assertThatThrownBy(() -> new TriggerSql(channel, Map.of(table, TableDependency.of(table, "a"))))
                    .as(table).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new TriggerSql(channel, Map.of("t", TableDependency.of("t", "a b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a b");
        assertThatThrownBy(() -> new TriggerSql(channel, Map.of("t", TableDependency.of("t", "a").keyColumn("k'"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TriggerSql(channel, Map.of("t", TableDependency.of("t", "a").tenantColumn("w\""))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TriggerSql("chan'nel", Map.of())).isInstanceOf(IllegalArgumentException.class);
        Map<String, TableDependency> clash = new LinkedHashMap<>();
        clash.put("a.b", TableDependency.of("a.b", "x"));
        clash.put("a__b", TableDependency.of("a__b", "x"));
        assertThatThrownBy(() -> new TriggerSql(channel, clash)).hasMessageContaining("share");
    }

    @Test
    void functionNamesFit63Bytes() {
        assertThat(TriggerSql.functionName("users")).isEqualTo("arcana_notify_users");
        assertThat(TriggerSql.functionName("app.users")).isEqualTo("arcana_notify_app__users");
        String longName = "s".repeat(63) + "." + "t".repeat(63);
        String name = TriggerSql.functionName(longName);
        assertThat(name).hasSize(63).startsWith("arcana_notify_sss").isEqualTo(TriggerSql.functionName(longName));
        assertThat(name).isNotEqualTo(TriggerSql.functionName("s".repeat(63) + "." + "t".repeat(62) + "u"));
    }

    @Test
    void longNamesWorkInTheDatabase() throws Exception {
        String table = "t".repeat(63);
        schema.execute("create table " + table + " (id int primary key, a text)");
        TriggerSql longOne = new TriggerSql(channel, Map.of(table, TableDependency.of(table, "a")));
        apply(longOne.createSql());
        apply(longOne.createSql());
        sql("insert into " + table + " values (1, 'x')");
        assertThat(NotifyPayload.parse(next())).isEqualTo(Change.insert(table, "1", null));
        apply(longOne.dropSql());
        assertThat(functionExists(schema.name(), TriggerSql.functionName(table))).isFalse();
        schema.execute("drop table " + table);
        assertNothingMore();
    }

    // --- helpers ---

    private String last;

    /** Applies statements in one transaction on the isolated schema. */
    private static void apply(List<String> statements) {
        try (Connection c = schema.connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                for (String sql : statements) {
                    st.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new IllegalStateException(e.getMessage(), e);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void sql(String sql) throws SQLException {
        try (Statement st = writer.createStatement()) {
            st.execute(sql);
        }
    }

    private final List<String> pending = new ArrayList<>();

    /** The next payload on the channel, waiting up to the deadline. */
    private String next() throws SQLException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        PGConnection pg = listener.unwrap(PGConnection.class);
        while (pending.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no notification within " + DEADLINE_MILLIS + " ms");
            }
            PGNotification[] notifications = pg.getNotifications((int) left);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    assertThat(n.getName()).isEqualTo(channel);
                    pending.add(n.getParameter());
                }
            }
        }
        last = pending.remove(0);
        if (MARKER.equals(last)) {
            return last;
        }
        Matcher tx = TX_FIELD.matcher(last);
        assertThat(tx.find()).as("tx field in %s", last).isTrue();
        return tx.replaceFirst("");
    }

    /** The writing transaction's id in every payload (fixed width), removed by {@link #next()} before comparing. */
    private static final Pattern TX_FIELD = Pattern.compile(", \"tx\" : \"[0-9]{10}\"");
    private static final int TX_FIELD_LENGTH = ", \"tx\" : \"0123456789\"".length();

    private void skip(int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            next();
        }
    }

    /** Sends a marker after everything written so far; it must be the next notification. */
    private void assertNothingMore() throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("select pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, MARKER);
            ps.execute();
        }
        assertThat(next()).as("next notification").isEqualTo(MARKER);
    }

    private static int triggerCount(String schemaName, String table) {
        return count("select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid "
                + "join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ? "
                + "and t.tgname like 'arcana_notify%'", schemaName, table);
    }

    private static boolean functionExists(String schemaName, String function) {
        return count("select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace "
                + "where n.nspname = ? and p.proname = ?", schemaName, function) > 0;
    }

    private static int count(String sql, String a, String b) {
        try (Connection c = schema.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
