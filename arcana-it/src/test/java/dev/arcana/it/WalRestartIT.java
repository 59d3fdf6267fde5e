package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * WAL mode across an application restart: server B (WAL) is stopped, writes go on with plain SQL,
 * B starts again — and its new engine receives every change committed while it was down, from
 * its replication slot, and acknowledges them.
 */
class WalRestartIT {
    static final int WRITES_WHILE_DOWN = 25;

    @Test
    void everyChangeCommittedWhileTheAppWasDownArrivesAfterItsRestart() throws Exception {
        ExampleServer.awaitReady();
        ChangeDetectionIT.Server wal = ChangeDetectionIT.Server.WAL;
        wal.awaitDetectorUp();
        // server C (WAL mode too) streams its own leased slot: then B's old slot is the only free one when B returns,
        // and a restarting instance resumes a free slot that exists before it creates one
        await("B and C streaming their leased slots, none left over").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> Database.queryLong("select count(*) filter (where "
                        + "active) * 10 + count(*) from pg_replication_slots where slot_name ~ '^arcana_[0-9]+$'") == 22);
        String slot = WalSlotsIT.slotOf(wal.health());

        server("stop");
        await("B's slot released").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Database.queryLong("select count(*) from pg_replication_slots where slot_name = '" + slot
                        + "' and not active") == 1);
        String ws = ChangeDetectionIT.workspace();
        for (int i = 0; i < WRITES_WHILE_DOWN; i++) {
            Database.transaction(Database.insertTask(UUID.randomUUID().toString(), ws, "While B was down " + i, i));
        }
        String written = Database.queryText("select pg_current_wal_lsn()::text");
        server("start");

        wal.awaitDetectorUp();
        assertThat(WalSlotsIT.slotOf(wal.health())).as("B resumed its own slot (slots: %s)",
                Database.queryText("select string_agg(slot_name || ' active=' || active, ', ') from pg_replication_slots"))
                .isEqualTo(slot);
        await("B's engine received the changes made while it was down").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> wal.health().getJsonNumber("changes").longValue() >= WRITES_WHILE_DOWN);
        await("the slot acknowledged them").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Database.queryLong("select count(*) from pg_replication_slots where slot_name = '" + slot
                        + "' and confirmed_flush_lsn >= '" + written + "'::pg_lsn") == 1);
    }

    /** Runs Liberty's {@code server stop|start} for server B and waits for it to finish. */
    private static void server(String action) throws IOException, InterruptedException {
        Path serverDir = Path.of(System.getProperty("arcana.it.b.serverDir"));
        Path wlp = serverDir.getParent().getParent().getParent();
        Path script = wlp.resolve("bin").resolve("server");
        assertThat(Files.isExecutable(script)).as("%s", script).isTrue();
        Process process = new ProcessBuilder(script.toString(), action, serverDir.getFileName().toString())
                .redirectErrorStream(true).redirectOutput(serverDir.getParent().getParent().getParent().getParent()
                        .resolve("server-b-" + action + ".log").toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("server %s finished", action).isTrue();
        assertThat(process.exitValue()).as("server %s exit code", action).isZero();
    }
}
