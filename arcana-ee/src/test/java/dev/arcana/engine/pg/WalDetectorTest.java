package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.ChangeSink;
import dev.arcana.engine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WAL detector against PostgreSQL, seen from its sink: exact changes per transaction (types,
 * old-row handling, key and tenant moves, truncate), and resumption from the slot after a stop.
 */
class WalDetectorTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static TestDatabase.IsolatedSchema schema;

    /** Every batch the detector handed over, and every invalidate-all reason. */
    static final class RecordingSink implements ChangeSink {
        final List<List<Change>> batches = new CopyOnWriteArrayList<>();
        final List<String> gaps = new CopyOnWriteArrayList<>();

        @Override
        public void accept(List<Change> transaction) {
            batches.add(List.copyOf(transaction));
        }

        @Override
        public void invalidateAll(String reason) {
            gaps.add(reason);
        }

        List<Change> all() {
            List<Change> all = new ArrayList<>();
            batches.forEach(all::addAll);
            return all;
        }
    }

    final RecordingSink sink = new RecordingSink();
    final String slot = "arcana_waltest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    WalDetector detector;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().isolatedSchema("wal_detector");
    }

    @BeforeEach
    void createTables() {
        schema.execute("drop table if exists tasks", "drop table if exists plain",
                "create table tasks (id uuid primary key, workspace_id text not null, title text not null, "
                        + "done boolean not null default false, position int not null default 0, "
                        + "updated_at timestamptz not null default now())",
                "alter table tasks replica identity full",
                "create table plain (id int primary key, ws text, label text)");
    }

    @AfterEach
    void stop() throws Exception {
        if (detector != null) {
            detector.stop();
        }
        try (Connection connection = schema.connect()) {
            WalSetup.dropSlot(connection, slot);
        }
    }

    WalDetector start() {
        TestDatabase db = TestDatabase.get();
        DirectConnections connections = new DirectConnections(db.jdbcUrl() + "?currentSchema=" + schema.name(),
                db.user(), db.password());
        Map<String, TableDependency> tables = Map.of(
                "tasks", TableDependency.of("tasks", "id", "title", "done", "position").tenantColumn("workspace_id"),
                "plain", TableDependency.of("plain", "label").tenantColumn("ws"));
        WalDetector.Options options = new WalDetector.Options(slot, "arcana_" + schema.name(), false,
                Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofSeconds(1), 50, false);
        detector = new WalDetector(connections, () -> tables, options, Thread::new);
        detector.start(sink);
        await().atMost(DEADLINE).until(() -> detector.status().isUp());
        return detector;
    }

    List<Change> awaitChanges(int count) {
        await().atMost(DEADLINE).until(() -> sink.all().size() >= count);
        return sink.all();
    }

    @Test
    void insertUpdateDeleteOfAFullIdentityTable() {
        start();
        String id = UUID.randomUUID().toString().toUpperCase();
        schema.execute("insert into tasks (id, workspace_id, title) values ('" + id + "', 'acme', 'One')",
                "update tasks set title = 'Two', updated_at = now() + interval '1 day' where id = '" + id + "'",
                "update tasks set title = 'Two' where id = '" + id + "'",
                "delete from tasks where id = '" + id + "'");
        String lower = id.toLowerCase();

        assertThat(awaitChanges(3)).containsExactly(
                new Change("tasks", lower, ChangeOp.INSERT, Set.of(), "acme"),
                new Change("tasks", lower, ChangeOp.UPDATE, Set.of("title", "updated_at"), "acme"),
                new Change("tasks", lower, ChangeOp.DELETE, Set.of(), "acme"));
        assertThat(sink.batches).hasSize(3);
    }

    @Test
    void aWorkspaceMoveIsADeleteAndAnInsert() {
        start();
        String id = UUID.randomUUID().toString();
        schema.execute("insert into tasks (id, workspace_id, title) values ('" + id + "', 'acme', 'Mover')",
                "update tasks set workspace_id = 'globex' where id = '" + id + "'");

        assertThat(awaitChanges(3)).endsWith(
                new Change("tasks", id, ChangeOp.DELETE, Set.of(), "acme"),
                new Change("tasks", id, ChangeOp.INSERT, Set.of(), "globex"));
    }

    @Test
    void withTheDefaultIdentityUpdatesReportAllColumnsAndDeletesNoTenant() {
        start();
        schema.execute("insert into plain values (1, 'acme', 'a')", "update plain set label = 'b' where id = 1",
                "update plain set id = 2 where id = 1", "delete from plain where id = 2", "truncate plain");

        assertThat(awaitChanges(6)).containsExactly(
                new Change("plain", "1", ChangeOp.INSERT, Set.of(), "acme"),
                new Change("plain", "1", ChangeOp.UPDATE, Set.of(), "acme"),
                new Change("plain", "1", ChangeOp.DELETE, Set.of(), null),
                new Change("plain", "2", ChangeOp.INSERT, Set.of(), "acme"),
                new Change("plain", "2", ChangeOp.DELETE, Set.of(), null),
                new Change("plain", null, ChangeOp.TRUNCATE, Set.of(), null));
    }

    @Test
    void oneTransactionIsOneBatchAndAHugeOneCollapsesToTableWide() {
        start();
        schema.execute("begin; insert into plain select g, 'acme', 'x' from generate_series(1, 10) g; "
                        + "update plain set label = 'y' where id = 3; commit;",
                "insert into plain select g, 'acme', 'x' from generate_series(11, 100) g");

        await().atMost(DEADLINE).until(() -> sink.batches.size() >= 2);
        assertThat(sink.batches.get(0)).hasSize(11);
        assertThat(sink.batches.get(1)).as("90 rows > maxChanges 50").containsExactly(Change.tableWide("plain"));
    }

    @Test
    void changesCommittedWhileStoppedArriveAfterTheRestart() {
        start();
        schema.execute("insert into plain values (1, 'acme', 'before')");
        awaitChanges(1);
        assertThat(sink.gaps).as("the slot was created: a gap").hasSize(1);
        detector.stop();
        long flushed = detector.flushedLsn();
        assertThat(flushed).isPositive();

        for (int i = 2; i <= 20; i++) {
            schema.execute("insert into plain values (" + i + ", 'acme', 'while down')");
        }
        RecordingSink before = new RecordingSink();
        before.batches.addAll(sink.batches);
        sink.batches.clear();
        sink.gaps.clear();
        start();

        List<Change> replayed = awaitChanges(19);
        assertThat(replayed).extracting(Change::id)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(2, 20).mapToObj(String::valueOf).toList());
        assertThat(sink.gaps).as("the slot kept everything: no gap").isEmpty();
        assertThat(before.all()).extracting(Change::id).containsExactly("1");
    }

    @Test
    void instancesWithoutAConfiguredSlotLeaseDistinctOnesResumingAFreeSlotAndDropTheSlotsNobodyHolds() throws Exception {
        String prefix = "arcana_lease_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            // free slots left by instances that stopped: one is resumed (by a restarting instance it would hold what
            // was committed meanwhile), the others are dropped (PostgreSQL would keep WAL for them forever)
            for (int n : new int[] {3, 7, 9}) {
                statement.execute("select pg_create_logical_replication_slot('" + prefix + "_" + n + "', 'pgoutput')");
            }
        }
        RecordingSink second = new RecordingSink();
        WalDetector first = leased(prefix, sink);
        WalDetector other = null;
        try {
            await().atMost(DEADLINE).until(() -> first.status().isUp());
            assertThat(first.status().detail()).as("the existing free slot with the smallest number")
                    .startsWith("slot " + prefix + "_3,");
            await().atMost(DEADLINE).until(() -> slots(prefix).equals(List.of(prefix + "_3")));
            other = leased(prefix, second);
            WalDetector started = other;
            await().atMost(DEADLINE).until(() -> started.status().isUp());
            assertThat(other.status().detail()).as("none free: the smallest number not created yet")
                    .startsWith("slot " + prefix + "_0,");
            assertThat(activeSlots(prefix)).containsExactlyInAnyOrder(prefix + "_0", prefix + "_3");

            schema.execute("insert into plain values (1, 'acme', 'seen by both')");
            awaitChanges(1);
            await().atMost(DEADLINE).until(() -> second.all().size() == 1);
        } finally {
            first.stop();
            if (other != null) {
                other.stop();
            }
            try (Connection connection = schema.connect()) {
                for (String name : slots(prefix)) {
                    WalSetup.dropSlot(connection, name);
                }
            }
        }
    }

    @Test
    void aReconnectWaitsForItsOwnSlotsOldWalsenderInsteadOfMovingToAnotherSlot() throws Exception {
        String prefix = "arcana_lease_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String own = prefix + "_0";
        WalDetector leasing = leased(prefix, sink, Duration.ofSeconds(2)); // time for the reader to step in
        TestDatabase db = TestDatabase.get();
        DirectConnections connections = new DirectConnections(db.jdbcUrl() + "?currentSchema=" + schema.name(),
                db.user(), db.password());
        try {
            await().atMost(DEADLINE).until(() -> leasing.status().isUp());
            assertThat(leasing.status().detail()).startsWith("slot " + own + ",");
            // After a connection fault the old walsender may outlive the lease's lock for a moment: played here by a
            // reader of our own that takes the slot while the detector's connections are cut, and lets it go only
            // once the reconnecting detector holds the slot's lock (waiting for it, not moving on).
            try (Connection reader = connections.openReplication("arcana-test-reader")) {
                terminate("select pg_terminate_backend(pid) from pg_stat_activity where application_name = '"
                        + WalDetector.APPLICATION_NAME + "'");
                await().atMost(DEADLINE).until(() -> activeSlots(prefix).isEmpty() && lockHolders(own) == 0);
                org.postgresql.replication.PGReplicationStream stream = reader.unwrap(org.postgresql.PGConnection.class)
                        .getReplicationAPI().replicationStream().logical().withSlotName(own)
                        .withSlotOption("proto_version", "1")
                        .withSlotOption("publication_names", "arcana_" + schema.name()).start();
                await().atMost(DEADLINE).until(() -> lockHolders(own) == 1);
                stream.close();
            }
            schema.execute("insert into plain values (1, 'acme', 'after the fault')");
            awaitChanges(1);
            assertThat(leasing.status().detail()).startsWith("slot " + own + ",");
            assertThat(slots(prefix)).containsExactly(own);
            assertThat(sink.gaps).as("only the slot's creation; the reconnect resumed it").hasSize(1);
        } finally {
            leasing.stop();
            try (Connection connection = schema.connect()) {
                for (String name : slots(prefix)) {
                    WalSetup.dropSlot(connection, name);
                }
            }
        }
    }

    private long lockHolders(String slotName) throws java.sql.SQLException {
        try (Connection connection = schema.connect(); PreparedStatement statement = connection.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory' and granted and classid = ?::oid "
                        + "and objid = (hashtext(?)::bigint & 4294967295)::oid and objsubid = 2")) {
            statement.setLong(1, SlotLease.LOCK_CLASS);
            statement.setString(2, slotName);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private void terminate(String sql) throws java.sql.SQLException {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    WalDetector leased(String prefix, RecordingSink target) {
        return leased(prefix, target, Duration.ofMillis(50));
    }

    WalDetector leased(String prefix, RecordingSink target, Duration firstRetryDelay) {
        TestDatabase db = TestDatabase.get();
        DirectConnections connections = new DirectConnections(db.jdbcUrl() + "?currentSchema=" + schema.name(),
                db.user(), db.password());
        Map<String, TableDependency> tables = Map.of("plain", TableDependency.of("plain", "label").tenantColumn("ws"));
        WalDetector leasing = new WalDetector(connections, () -> tables, new WalDetector.Options(prefix,
                "arcana_" + schema.name(), false, Duration.ofMillis(200), firstRetryDelay,
                firstRetryDelay.multipliedBy(4),
                50, false, true), Thread::new);
        leasing.start(target);
        return leasing;
    }

    List<String> slots(String prefix) throws java.sql.SQLException {
        return names("select slot_name from pg_replication_slots where slot_name like '" + prefix + "%' order by 1");
    }

    List<String> activeSlots(String prefix) throws java.sql.SQLException {
        return names("select slot_name from pg_replication_slots where active and slot_name like '" + prefix
                + "%' order by 1");
    }

    List<String> names(String sql) throws java.sql.SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    @Test
    void theSlotsPositionMovesOnlyAfterHandOver() throws Exception {
        start();
        schema.execute("insert into plain values (1, 'acme', 'x')");
        awaitChanges(1);
        await().atMost(DEADLINE).untilAsserted(() -> {
            try (Connection connection = schema.connect()) {
                assertThat(WalSetup.slotLag(connection, slot)).isZero();
            }
        });
        assertThat(detector.status().detail()).contains("slot " + slot).contains("1 row changes");
    }

    @Test
    void anIdleSlotFollowsWritesToAnotherDatabaseOfTheCluster() throws Exception {
        // WAL is cluster-wide, decoding per database: a slot that never confirmed would pin all the WAL a busy
        // neighbour writes while the app's own tables stay quiet. pgjdbc confirms the keepalive's position when
        // everything received was handed over; measured here, the slot moves within ~15 s (the interval of the
        // background writer's running-transactions record, which the walsender decodes and then reports).
        start();
        TestDatabase db = TestDatabase.get();
        try (Connection admin = db.connect(); Statement statement = admin.createStatement();
             ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = 'arcana_wal_neighbour'")) {
            if (!exists.next()) {
                statement.execute("create database arcana_wal_neighbour");
            }
        }
        String neighbour = db.jdbcUrl().replaceFirst("/[^/?]*(\\?.*)?$", "/arcana_wal_neighbour");
        long before;
        long after;
        try (Connection other = DriverManager.getConnection(neighbour, db.user(), db.password());
             Statement statement = other.createStatement()) {
            statement.execute("create table if not exists busy (id int)");
            before = walPosition(statement);
            statement.execute("insert into busy select generate_series(1, 20000)");
            after = walPosition(statement);
        }
        // most of the neighbour's WAL: the very end may wait for the next record of the cluster to be decoded
        long target = before + (after - before) * 9 / 10;

        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
            try (Connection connection = schema.connect(); PreparedStatement statement = connection.prepareStatement(
                    "select pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint from pg_replication_slots "
                            + "where slot_name = ?")) {
                statement.setString(1, slot);
                try (ResultSet confirmed = statement.executeQuery()) {
                    assertThat(confirmed.next()).isTrue();
                    assertThat(confirmed.getLong(1)).as("slot confirmed past the neighbour's writes").isGreaterThan(target);
                }
            }
        });
        assertThat(sink.all()).as("nothing of the neighbour reaches the engine").isEmpty();
    }

    private static long walPosition(Statement statement) throws java.sql.SQLException {
        try (ResultSet position = statement.executeQuery("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            position.next();
            return position.getLong(1);
        }
    }
}
