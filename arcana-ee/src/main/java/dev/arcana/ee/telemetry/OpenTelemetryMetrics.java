package dev.arcana.ee.telemetry;

import dev.arcana.api.EngineStats;
import dev.arcana.engine.ArcanaEngine;
import dev.arcana.engine.LatencyHistogram;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engine's figures as OpenTelemetry instruments:
 * <ul>
 *   <li>{@code arcana.hop.duration} (histogram, seconds, attribute {@code arcana.hop}): every re-run's
 *       hops as the engine records them ({@code waited}, {@code run}, {@code pushed}, {@code total})
 *       and the transport's ({@code written}), mirrored from the engine's own histograms;</li>
 *   <li>gauges {@code arcana.subscriptions}, {@code arcana.seances}, {@code arcana.query_instances},
 *       {@code arcana.store.rows}, {@code arcana.runs_in_flight} and counters {@code arcana.factory.runs},
 *       {@code arcana.factory.errors}, {@code arcana.changes}, {@code arcana.changes.ignored}, read from
 *       one {@link EngineStats} per collection.</li>
 * </ul>
 * Uses only API present in OpenTelemetry 1.29 (Payara Micro 6), and the bucket advice where the API has it
 * (1.32 on: Liberty's mpTelemetry-2.0 has 1.39).
 */
final class OpenTelemetryMetrics implements AutoCloseable {
    static final String SCOPE = "dev.arcana";
    static final AttributeKey<String> HOP = AttributeKey.stringKey("arcana.hop");
    /** Sub-millisecond to seconds: the hops live there (the SDK's default boundaries start at 5 s). */
    static final List<Double> HOP_BOUNDARIES_SECONDS = List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    private final Map<String, LatencyHistogram> hops;
    private final BatchCallback counts;

    private OpenTelemetryMetrics(Map<String, LatencyHistogram> hops, BatchCallback counts) {
        this.hops = hops;
        this.counts = counts;
    }

    static AutoCloseable publish(ArcanaEngine engine, BeanManager beans) {
        System.Logger log = System.getLogger(Telemetry.class.getName());
        Optional<ServerMeter> found = meter(beans);
        if (found.isEmpty()) {
            log.log(System.Logger.Level.INFO, "ARCANA-TELEMETRY: the OpenTelemetry API is visible but the server "
                    + "offers no Meter or OpenTelemetry bean; no metrics");
            return () -> { };
        }
        OpenTelemetryMetrics published = bind(found.get().meter(), engine.hopHistograms(), engine::stats);
        log.log(System.Logger.Level.INFO, "ARCANA-TELEMETRY: publishing arcana.hop.duration {0} and the engine''s "
                + "counts through the server''s {1}", published.hops.keySet(), found.get().source());
        return published;
    }

    /** A Meter and where it came from (for the log). */
    record ServerMeter(Meter meter, String source) {
    }

    /** The container's Meter (MicroProfile Telemetry 2), else one from its OpenTelemetry bean (1.x). */
    static Optional<ServerMeter> meter(BeanManager beans) {
        Instance<Object> all = beans.createInstance();
        Instance<Meter> meter = all.select(Meter.class);
        if (meter.isResolvable()) {
            return Optional.of(new ServerMeter(meter.get(), "Meter bean"));
        }
        Instance<OpenTelemetry> openTelemetry = all.select(OpenTelemetry.class);
        return openTelemetry.isResolvable()
                ? Optional.of(new ServerMeter(openTelemetry.get().getMeter(SCOPE), "OpenTelemetry bean"))
                : Optional.empty();
    }

    static OpenTelemetryMetrics bind(Meter meter, Map<String, LatencyHistogram> hops, Supplier<EngineStats> stats) {
        DoubleHistogramBuilder builder = meter.histogramBuilder("arcana.hop.duration")
                .setUnit("s")
                .setDescription("Where a change's time goes: waited (dirty to run start), run (the graph's "
                        + "factory), pushed (diff and hand-over), total, written (hand-over to socket write)");
        try {
            builder = builder.setExplicitBucketBoundariesAdvice(HOP_BOUNDARIES_SECONDS);
        } catch (NoSuchMethodError before132) {
            // an API older than 1.32 (Payara Micro 6 has 1.29): the SDK's default boundaries
        }
        DoubleHistogram durations = builder.build();
        hops.forEach((name, histogram) -> {
            Attributes hop = Attributes.of(HOP, name);
            histogram.mirrorTo(nanos -> durations.record(nanos / 1e9, hop));
        });

        ObservableLongMeasurement subscriptions = gauge(meter, "arcana.subscriptions", "{subscription}",
                "live subscriptions");
        ObservableLongMeasurement seances = gauge(meter, "arcana.seances", "{seance}",
                "seances holding at least one subscription");
        ObservableLongMeasurement instances = gauge(meter, "arcana.query_instances", "{instance}",
                "query instances (a graph with its params in a workspace)");
        ObservableLongMeasurement rows = gauge(meter, "arcana.store.rows", "{row}", "rows held in the row stores");
        ObservableLongMeasurement inFlight = gauge(meter, "arcana.runs_in_flight", "{run}", "factory runs now");
        ObservableLongMeasurement runs = counter(meter, "arcana.factory.runs", "{run}", "factory runs");
        ObservableLongMeasurement errors = counter(meter, "arcana.factory.errors", "{run}", "failed factory runs");
        ObservableLongMeasurement changes = counter(meter, "arcana.changes", "{change}", "changes received");
        ObservableLongMeasurement ignored = counter(meter, "arcana.changes.ignored", "{change}",
                "changes that touched no live query instance");
        BatchCallback counts = meter.batchCallback(() -> {
            EngineStats now = stats.get();
            subscriptions.record(now.subscriptions());
            seances.record(now.seances());
            instances.record(now.queryInstances());
            rows.record(now.storeRows());
            inFlight.record(now.runsInFlight());
            runs.record(now.factoryRuns());
            errors.record(now.factoryErrors());
            changes.record(now.changes());
            ignored.record(now.changesIgnored());
        }, subscriptions, seances, instances, rows, inFlight, runs, errors, changes, ignored);
        return new OpenTelemetryMetrics(Collections.unmodifiableMap(new LinkedHashMap<>(hops)), counts);
    }

    private static ObservableLongMeasurement gauge(Meter meter, String name, String unit, String description) {
        return meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description).buildObserver();
    }

    private static ObservableLongMeasurement counter(Meter meter, String name, String unit, String description) {
        return meter.counterBuilder(name).setUnit(unit).setDescription(description).buildObserver();
    }

    /** Detaches the instruments: the engine's histograms stop mirroring, the counts stop being read. */
    @Override
    public void close() {
        hops.values().forEach(histogram -> histogram.mirrorTo(null));
        counts.close();
    }
}
