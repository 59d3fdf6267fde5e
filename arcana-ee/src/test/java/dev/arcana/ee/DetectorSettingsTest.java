package dev.arcana.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorSettingsTest {

    @Test
    void defaults() {
        DetectorSettings settings = DetectorSettings.of(Map.of());
        assertThat(settings.url()).isEmpty();
        assertThat(settings.password()).isEmpty();
        assertThat(settings.notifyOptions().channel()).isEqualTo("arcana_changes");
        assertThat(settings.notifyOptions().installTriggers()).isTrue();
        assertThat(settings.notifyOptions().backoffMax()).isEqualTo(Duration.ofSeconds(5));
        // no slot configured: the instance leases arcana_<n>
        assertThat(settings.walOptions().slot()).isEqualTo("arcana");
        assertThat(settings.walOptions().leaseSlot()).isTrue();
        assertThat(settings.walOptions().publication()).isEqualTo("arcana");
        assertThat(settings.walOptions().allTables()).isFalse();
        assertThat(settings.walOptions().dropSlotOnStop()).isFalse();
        assertThat(settings.walOptions().maxChanges()).isEqualTo(10_000);
    }

    @Test
    void everyKeyIsRead() {
        DetectorSettings settings = DetectorSettings.of(Map.ofEntries(
                Map.entry("arcana.detector.url", "jdbc:postgresql://db:5432/app"),
                Map.entry("arcana.detector.user", "arcana"),
                Map.entry("arcana.detector.password", "s3cret"),
                Map.entry("arcana.detector.backoff-max-ms", "2000"),
                Map.entry("arcana.notify.channel", "app_changes"),
                Map.entry("arcana.notify.install-triggers", "FALSE"),
                Map.entry("arcana.notify.heartbeat-ms", "1000"),
                Map.entry("arcana.wal.slot", "arcana_web_1"),
                Map.entry("arcana.wal.publication", "app_pub"),
                Map.entry("arcana.wal.publication-scope", "all"),
                Map.entry("arcana.wal.status-interval-ms", "500"),
                Map.entry("arcana.wal.max-transaction-changes", "99"),
                Map.entry("arcana.wal.drop-slot-on-stop", "true")));
        assertThat(settings.url()).hasValue("jdbc:postgresql://db:5432/app");
        assertThat(settings.user()).hasValue("arcana");
        assertThat(settings.password()).hasValue("s3cret");
        assertThat(settings.notifyOptions().channel()).isEqualTo("app_changes");
        assertThat(settings.notifyOptions().installTriggers()).isFalse();
        assertThat(settings.notifyOptions().heartbeat()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.notifyOptions().backoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.walOptions()).satisfies(wal -> {
            assertThat(wal.slot()).isEqualTo("arcana_web_1");
            assertThat(wal.leaseSlot()).as("a configured slot is used as is").isFalse();
            assertThat(wal.publication()).isEqualTo("app_pub");
            assertThat(wal.allTables()).isTrue();
            assertThat(wal.statusInterval()).isEqualTo(Duration.ofMillis(500));
            assertThat(wal.maxChanges()).isEqualTo(99);
            assertThat(wal.dropSlotOnStop()).isTrue();
            assertThat(wal.backoffMax()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void everyBadKeyIsNamedAtOnce() {
        assertThatThrownBy(() -> DetectorSettings.of(Map.of(
                "arcana.detector.url", "jdbc:mysql://db/app",
                "arcana.notify.channel", "bad-channel",
                "arcana.notify.install-triggers", "yes",
                "arcana.wal.slot", "Arcana-1",
                "arcana.wal.publication-scope", "some",
                "arcana.wal.status-interval-ms", "10")))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems()).containsExactly(
                        "arcana.detector.url='jdbc:mysql://db/app' must be a jdbc:postgresql: URL",
                        "arcana.notify.channel='bad-channel' must be an identifier (letters, digits, _ and $, at most 63)",
                        "arcana.notify.install-triggers='yes' must be one of [false, true]",
                        "arcana.wal.slot='Arcana-1' must be 1-63 lower-case letters, digits and underscores",
                        "arcana.wal.publication-scope='some' must be one of [all, tables]",
                        "arcana.wal.status-interval-ms='10' must be between 100 and 3600000"));
    }
}
