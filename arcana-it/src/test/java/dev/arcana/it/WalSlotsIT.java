package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the example in WAL mode on one database, server B and server C (arcana-it-jwt), both without
 * {@code arcana.wal.slot}: each leases its own replication slot ({@code arcana_<n>}), whatever the server is called.
 */
class WalSlotsIT {
    private static final Pattern SLOT = Pattern.compile("^slot (arcana_[0-9]+),");

    /** The slot a WAL-mode instance streams, from its {@code /arcana/health} detector detail. */
    static String slotOf(JsonObject health) {
        String detail = health.getJsonObject("detector").getString("detail");
        Matcher matcher = SLOT.matcher(detail);
        assertThat(matcher.find()).as("detector detail %s names a leased slot", detail).isTrue();
        return matcher.group(1);
    }

    @Test
    void twoInstancesWithTheSameSettingsStreamDistinctSlots() {
        ExampleServer.awaitReady();
        ChangeDetectionIT.Server.WAL.awaitDetectorUp();
        String bSlot = slotOf(ChangeDetectionIT.Server.WAL.health());

        await("B and C each stream a leased slot of their own").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Database.queryLong("select count(distinct active_pid) from pg_replication_slots "
                        + "where active and slot_name ~ '^arcana_[0-9]+$'") == 2);
        assertThat(Database.queryLong("select count(*) from pg_replication_slots where active and slot_name = '"
                + bSlot + "'")).isEqualTo(1);
        assertThat(Database.queryLong("select count(*) from pg_replication_slots where slot_name ~ '^arcana_[0-9]+$'"))
                .as("no slot is left behind for instances that are gone").isEqualTo(2);
    }
}
