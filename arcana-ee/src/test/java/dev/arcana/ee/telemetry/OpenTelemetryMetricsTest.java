package dev.arcana.ee.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.EngineStats;
import dev.arcana.engine.LatencyHistogram;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's histograms and counts as seen by a real OpenTelemetry SDK reading the instruments. */
class OpenTelemetryMetricsTest {
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final LatencyHistogram run = new LatencyHistogram();
    private final LatencyHistogram written = new LatencyHistogram();
    private final AtomicReference<EngineStats> stats = new AtomicReference<>(
            new EngineStats(true, 4, 7, 3, 120, 5, 42, 1, 60, 9, 2, 4));

    @AfterEach
    void shutDown() {
        provider.close();
    }

    private OpenTelemetryMetrics bound() {
        Map<String, LatencyHistogram> hops = new LinkedHashMap<>();
        hops.put("run", run);
        hops.put("written", written);
        return OpenTelemetryMetrics.bind(provider.get("test"), hops, stats::get);
    }

    @Test
    void everyRecordedHopReachesTheHistogramInSecondsWithItsHopAttribute() {
        try (OpenTelemetryMetrics ignored = bound()) {
            run.record(2_000_000);
            run.record(4_000_000);
            written.record(500_000);

            Collection<MetricData> collected = reader.collectAllMetrics();
            HistogramPointData runPoint = hopPoint(collected, "run");
            assertThat(runPoint.getCount()).isEqualTo(2);
            assertThat(runPoint.getSum()).isCloseTo(0.006, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(runPoint.getBoundaries()).isEqualTo(OpenTelemetryMetrics.HOP_BOUNDARIES_SECONDS);
            assertThat(hopPoint(collected, "written").getCount()).isEqualTo(1);
            assertThat(metric(collected, "arcana.hop.duration").getUnit()).isEqualTo("s");
        }
    }

    @Test
    void theCountsAreReadFromTheEngineAtEachCollection() {
        try (OpenTelemetryMetrics ignored = bound()) {
            Collection<MetricData> first = reader.collectAllMetrics();
            assertThat(longValue(first, "arcana.subscriptions")).isEqualTo(7);
            assertThat(longValue(first, "arcana.seances")).isEqualTo(3);
            assertThat(longValue(first, "arcana.query_instances")).isEqualTo(5);
            assertThat(longValue(first, "arcana.store.rows")).isEqualTo(120);
            assertThat(longValue(first, "arcana.runs_in_flight")).isEqualTo(2);
            assertThat(longValue(first, "arcana.factory.runs")).isEqualTo(42);
            assertThat(longValue(first, "arcana.factory.errors")).isEqualTo(1);
            assertThat(longValue(first, "arcana.changes")).isEqualTo(60);
            assertThat(longValue(first, "arcana.changes.ignored")).isEqualTo(9);
            assertThat(metric(first, "arcana.factory.runs").getLongSumData().isMonotonic()).isTrue();

            stats.set(new EngineStats(true, 4, 8, 3, 121, 5, 50, 1, 70, 9, 0, 4));
            Collection<MetricData> second = reader.collectAllMetrics();
            assertThat(longValue(second, "arcana.subscriptions")).isEqualTo(8);
            assertThat(longValue(second, "arcana.factory.runs")).isEqualTo(50);
        }
    }

    @Test
    void closingDetachesTheHistogramsAndTheCounts() {
        OpenTelemetryMetrics metrics = bound();
        run.record(1_000_000);
        metrics.close();
        run.record(1_000_000);

        Collection<MetricData> collected = reader.collectAllMetrics();
        assertThat(hopPoint(collected, "run").getCount()).as("the record after close was not mirrored").isEqualTo(1);
        assertThat(run.count()).as("the engine's own histogram goes on").isEqualTo(2);
        assertThat(collected).extracting(MetricData::getName).doesNotContain("arcana.subscriptions");
    }

    private static MetricData metric(Collection<MetricData> collected, String name) {
        return collected.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + collected));
    }

    private static HistogramPointData hopPoint(Collection<MetricData> collected, String hop) {
        Attributes wanted = Attributes.of(OpenTelemetryMetrics.HOP, hop);
        return metric(collected, "arcana.hop.duration").getHistogramData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(wanted)).findFirst()
                .orElseThrow(() -> new AssertionError("no point for hop " + hop));
    }

    private static long longValue(Collection<MetricData> collected, String name) {
        MetricData metric = metric(collected, name);
        Collection<LongPointData> points = switch (metric.getType()) {
            case LONG_GAUGE -> metric.getLongGaugeData().getPoints();
            case LONG_SUM -> metric.getLongSumData().getPoints();
            default -> throw new AssertionError(name + " is a " + metric.getType());
        };
        assertThat(points).hasSize(1);
        return points.iterator().next().getValue();
    }
}
