package dev.arcana.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.engine.EngineConfig;
import dev.arcana.engine.Strategy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArcanaSettingsTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ArcanaSettings settings = ArcanaSettings.of(Map.of());

        assertThat(settings.debounce()).isEqualTo(EngineConfig.DEFAULT_DEBOUNCE);
        assertThat(settings.maxSubscriptionsPerSeance()).isEqualTo(100);
        assertThat(settings.snapshotThreshold()).isEqualTo(50);
        assertThat(settings.gcInterval()).isEqualTo(Duration.ofMillis(60_000));
        assertThat(settings.notifyQueueCapacity()).isEqualTo(10_000);
        assertThat(settings.loadTimeout()).isEqualTo(Duration.ofMillis(30_000));
        assertThat(settings.queryTimeout()).isZero();
        assertThat(settings.datasource()).isEqualTo("java:comp/env/jdbc/arcana");
        assertThat(settings.mount()).isEqualTo("/arcana");
        assertThat(settings.httpMaxBodyBytes()).isEqualTo(65_536);
        assertThat(settings.detector()).isEqualTo("explicit");
        assertThat(settings.transport()).isEqualTo("websocket");
        assertThat(settings.mutations()).isEqualTo(new EngineConfig.Mutations(4, 256, Duration.ofMillis(2000)));
        assertThat(settings.toEngineConfig()).isEqualTo(EngineConfig.defaults());
    }

    @Test
    void configuredValuesReachTheEngineConfig() {
        ArcanaSettings settings = ArcanaSettings.of(Map.ofEntries(
                Map.entry("arcana.debounce-ms", "25"),
                Map.entry("arcana.max-subscriptions-per-seance", "7"),
                Map.entry("arcana.snapshot-threshold", "3"),
                Map.entry("arcana.gc-interval-ms", "1500"),
                Map.entry("arcana.notify-queue-capacity", "64"),
                Map.entry("arcana.load-timeout-ms", "2500"),
                Map.entry("arcana.query-timeout-s", "9"),
                Map.entry("arcana.seance-idle-ttl-ms", "0"),
                Map.entry("arcana.max-subscriptions-per-identity", "70"),
                Map.entry("arcana.max-seances-per-identity", "5"),
                Map.entry("arcana.max-instances-per-workspace", "300"),
                Map.entry("arcana.max-sync-views", "6"),
                Map.entry("arcana.datasource", "java:comp/env/jdbc/app"),
                Map.entry("arcana.mount", "/live/sync"),
                Map.entry("arcana.http.max-body-bytes", "1024"),
                Map.entry("arcana.detector", "explicit"),
                Map.entry("arcana.transport", "websocket"),
                Map.entry("arcana.strategy", "naive"),
                Map.entry("arcana.mutation.max-in-flight", "2"),
                Map.entry("arcana.mutation.remembered-per-seance", "10"),
                Map.entry("arcana.mutation.detector-wait-ms", "0")));

        assertThat(settings.toEngineConfig()).isEqualTo(new EngineConfig(Duration.ofMillis(25), 7, 3,
                Duration.ofMillis(1500), 64, Duration.ofMillis(2500), Duration.ofSeconds(9), Strategy.NAIVE, Duration.ZERO,
                new EngineConfig.Caps(70, 5, 300, 6), new EngineConfig.Mutations(2, 10, Duration.ZERO)));
        assertThat(settings.datasource()).isEqualTo("java:comp/env/jdbc/app");
        assertThat(settings.mount()).isEqualTo("/live/sync");
        assertThat(settings.httpMaxBodyBytes()).isEqualTo(1024);
    }

    @Test
    void everyBadKeyIsNamedWithItsValueInOneError() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("arcana.debounce-ms", "fast");
        values.put("arcana.max-subscriptions-per-seance", "0");
        values.put("arcana.snapshot-threshold", "-1");
        values.put("arcana.gc-interval-ms", "1.5");
        values.put("arcana.notify-queue-capacity", "99999999999");
        values.put("arcana.load-timeout-ms", "0");
        values.put("arcana.query-timeout-s", "-3");
        values.put("arcana.mount", "arcana/");
        values.put("arcana.http.max-body-bytes", "10");
        values.put("arcana.detector", "wal2");
        values.put("arcana.transport", "smoke-signals");

        assertThatThrownBy(() -> ArcanaSettings.of(values))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems()).containsExactly(
                        "arcana.debounce-ms='fast' is not an integer",
                        "arcana.max-subscriptions-per-seance='0' must be between 1 and 1000000",
                        "arcana.snapshot-threshold='-1' must be between 1 and 100000",
                        "arcana.gc-interval-ms='1.5' is not an integer",
                        "arcana.notify-queue-capacity='99999999999' must be between 1 and 1000000",
                        "arcana.load-timeout-ms='0' must be between 1 and 600000",
                        "arcana.query-timeout-s='-3' must be between 0 and 86400",
                        "arcana.mount='arcana/' must be a path that starts with '/', does not end with '/' and uses "
                                + "only letters, digits and . _ ~ - (e.g. /arcana)",
                        "arcana.http.max-body-bytes='10' must be between 256 and 67108864",
                        "arcana.detector='wal2' must be one of [explicit, notify, wal]",
                        "arcana.transport='smoke-signals' must be one of [centrifugo, websocket]"))
                .hasMessageStartingWith("ARCANA-CONFIG: invalid configuration (11 problems): "
                        + "arcana.debounce-ms='fast' is not an integer; arcana.max-subscriptions-per-seance='0'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "arcana.debounce-ms                  | 60001 | arcana.debounce-ms='60001' must be between 0 and 60000",
            "arcana.debounce-burst               | 3     | arcana.debounce-burst was removed: a query instance re-runs as soon as its previous run allows (paced by the duration of its last run); arcana.debounce-ms sets a floor between runs",
            "arcana.seance-idle-ttl-ms           | -1    | arcana.seance-idle-ttl-ms='-1' must be between 0 and 86400000",
            "arcana.max-subscriptions-per-seance | many  | arcana.max-subscriptions-per-seance='many' is not an integer",
            "arcana.snapshot-threshold           | 0     | arcana.snapshot-threshold='0' must be between 1 and 100000",
            "arcana.gc-interval-ms               | 0     | arcana.gc-interval-ms='0' must be between 1 and 86400000",
            "arcana.notify-queue-capacity        | 0     | arcana.notify-queue-capacity='0' must be between 1 and 1000000",
            "arcana.load-timeout-ms              | 1e3   | arcana.load-timeout-ms='1e3' is not an integer",
            "arcana.query-timeout-s              | 86401 | arcana.query-timeout-s='86401' must be between 0 and 86400",
            "arcana.run-threads                  | 0     | arcana.run-threads='0' must be between 1 and 1024",
            "arcana.http.max-body-bytes          | 64k   | arcana.http.max-body-bytes='64k' is not an integer",
            "arcana.detector                     | wal2  | arcana.detector='wal2' must be one of [explicit, notify, wal]",
            "arcana.transport                    | kafka | arcana.transport='kafka' must be one of [centrifugo, websocket]",
            "arcana.strategy                     | lazy  | arcana.strategy='lazy' must be one of [naive, shared, unindexed]",
            "arcana.mutation.max-in-flight       | 0     | arcana.mutation.max-in-flight='0' must be between 1 and 1000",
            "arcana.mutation.max-in-flight       | 1001  | arcana.mutation.max-in-flight='1001' must be between 1 and 1000",
            "arcana.mutation.remembered-per-seance | 0   | arcana.mutation.remembered-per-seance='0' must be between 1 and 100000",
            "arcana.mutation.remembered-per-seance | 100001 | arcana.mutation.remembered-per-seance='100001' must be between 1 and 100000",
            "arcana.mutation.detector-wait-ms    | -1    | arcana.mutation.detector-wait-ms='-1' must be between 0 and 60000",
            "arcana.mutation.detector-wait-ms    | 2s    | arcana.mutation.detector-wait-ms='2s' is not an integer",
    })
    void aSingleBadKeyIsNamedWithItsValue(String key, String value, String problem) {
        assertThatThrownBy(() -> ArcanaSettings.of(Map.of(key, value)))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("ARCANA-CONFIG: invalid configuration (1 problem): " + problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"arcana", "/arcana/", "/", "//arcana", "/a//b", "/a/../b", "/./a", "/a b", "/a?b", "/a*"})
    void mountMustBeAPathWithoutTrailingSlash(String mount) {
        assertThatThrownBy(() -> ArcanaSettings.of(Map.of("arcana.mount", mount)))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .startsWith("arcana.mount='" + mount.trim() + "' must be a path"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/arcana", "/a", "/live/sync", "/v1.2/arcana_x-y~z"})
    void validMountsAreKept(String mount) {
        assertThat(ArcanaSettings.of(Map.of("arcana.mount", mount)).mount()).isEqualTo(mount);
    }

    @Test
    void blankValuesCountAsUnsetAndValuesAreTrimmed() {
        ArcanaSettings settings = ArcanaSettings.of(Map.of("arcana.debounce-ms", "  ", "arcana.mount", "",
                "arcana.snapshot-threshold", " 20 "));

        assertThat(settings.debounce()).isEqualTo(EngineConfig.DEFAULT_DEBOUNCE);
        assertThat(settings.mount()).isEqualTo("/arcana");
        assertThat(settings.snapshotThreshold()).isEqualTo(20);
    }

    @Test
    void choicesIgnoreCase() {
        ArcanaSettings settings = ArcanaSettings.of(Map.of("arcana.detector", "EXPLICIT", "arcana.transport", "WebSocket"));

        assertThat(settings.detector()).isEqualTo("explicit");
        assertThat(settings.transport()).isEqualTo("websocket");
    }

    @Test
    void aValueTheSourceCannotReadIsNamed() {
        assertThatThrownBy(() -> new ArcanaSettings(key -> {
            if (key.equals("arcana.datasource")) {
                throw new IllegalArgumentException("cannot expand ${db.name}");
            }
            return Optional.empty();
        })).isInstanceOf(InvalidSettingsException.class)
                .hasMessage("ARCANA-CONFIG: invalid configuration (1 problem): "
                        + "arcana.datasource cannot be read: cannot expand ${db.name}");
    }

    @Test
    void describeListsEveryKeyAndMarksDefaults() {
        String description = ArcanaSettings.of(Map.of("arcana.debounce-ms", "10")).describe();

        assertThat(description).startsWith("arcana.debounce-ms=10, "
                        + "arcana.max-subscriptions-per-seance=100 (default), ")
                .contains("arcana.detector=explicit (default), arcana.transport=websocket (default), "
                        + "arcana.strategy=shared (default), ")
                // one pass, one line: the detectors' and the identity's keys follow the core ones
                .contains("arcana.detector.password=(none) (default)", "arcana.wal.slot=arcana_<n> (leased) (default)",
                        "arcana.identity=application (default)", "arcana.mutation.max-in-flight=4 (default)",
                        "arcana.mutation.remembered-per-seance=256 (default)",
                        "arcana.mutation.detector-wait-ms=2000 (default)");
        assertThat(List.of(description.split(", "))).allMatch(entry -> entry.startsWith("arcana."));
    }
}
