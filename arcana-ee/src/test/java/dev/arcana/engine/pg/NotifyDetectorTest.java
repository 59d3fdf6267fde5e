package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.TableDependency;
import dev.arcana.engine.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trigger-mode listener seen from its sink: start-up gap, foreign and malformed notifications, opt-out triggers. */
class NotifyDetectorTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static TestDatabase.IsolatedSchema schema;

    final WalDetectorTest.RecordingSink sink = new WalDetectorTest.RecordingSink();
    NotifyDetector detector;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().isolatedSchema("notify_detector");
        schema.execute("create table notes (id int primary key, body text)");
    }

    @AfterEach
    void stop() {
        if (detector != null) {
            detector.stop();
        }
        schema.execute(new TriggerSql("notify_test", Map.of("notes", TableDependency.of("notes", "body"))).dropSql()
                .toArray(String[]::new));
    }

    void start(boolean installTriggers) {
        TestDatabase db = TestDatabase.get();
        DirectConnections connections = new DirectConnections(db.jdbcUrl() + "?currentSchema=" + schema.name(),
                db.user(), db.password());
        detector = new NotifyDetector(connections, () -> Map.of("notes", TableDependency.of("notes", "body")),
                new NotifyDetector.Options("notify_test", installTriggers, Duration.ofMillis(50), Duration.ofMillis(200),
                        Duration.ofMillis(20), Duration.ofMillis(200)), Thread::new);
        detector.start(sink);
        await().atMost(DEADLINE).until(() -> detector.status().isUp());
    }

    @Test
    void everyListenStartsWithAGapAndTriggersAreInstalled() {
        start(true);
        assertThat(sink.gaps).containsExactly("change listener started");
        schema.execute("insert into notes values (1, 'a')", "update notes set body = 'b' where id = 1");
        await().atMost(DEADLINE).until(() -> sink.all().size() >= 2);
        assertThat(sink.all()).containsExactly(new Change("notes", "1", ChangeOp.INSERT, Set.of(), null),
                new Change("notes", "1", ChangeOp.UPDATE, Set.of("body"), null));
        assertThat(detector.status().detail()).contains("channel notify_test, 2 notifications, 0 reconnects");
    }

    @Test
    void aMalformedPayloadReRunsEverythingAndOtherChannelsAreIgnored() {
        start(true);
        schema.execute("select pg_notify('notify_test', '{\"op\":\"INSERT\"}')",
                "select pg_notify('someone_else', '{\"table\":\"notes\",\"id\":\"9\",\"op\":\"INSERT\"}')",
                "select pg_notify('notify_test', '{\"table\":\"notes\",\"id\":\"7\",\"op\":\"DELETE\"}')");
        await().atMost(DEADLINE).until(() -> sink.gaps.size() >= 2 && !sink.all().isEmpty());
        assertThat(sink.gaps).containsExactly("change listener started", "malformed notification on channel notify_test");
        assertThat(sink.all()).containsExactly(new Change("notes", "7", ChangeOp.DELETE, Set.of(), null));
        assertThat(detector.status().detail()).contains("1 malformed payloads");
    }

    @Test
    void withInstallationOffNoTriggerIsCreated() {
        start(false);
        try (var connection = schema.connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery("select count(*) from pg_trigger where tgname like 'arcana_notify%' "
                     + "and tgrelid = 'notes'::regclass")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void stopIsPromptAndStatusSaysDown() {
        start(true);
        long begin = System.nanoTime();
        detector.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
        assertThat(detector.status().state()).isEqualTo("down");
    }
}
