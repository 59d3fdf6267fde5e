package dev.arcana.ee.telemetry;

import dev.arcana.engine.ArcanaEngine;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Publishes the engine's hops and counts as OpenTelemetry metrics when the server offers them
 * (Open Liberty's {@code mpTelemetry-2.0} with the OpenTelemetry API made visible to the
 * application: README, "Metrics"). Elsewhere (Payara, WildFly, Liberty without the feature) it does
 * nothing and says so once: the same figures stay in {@code /health} and DevTools.
 *
 * <p>This class names no OpenTelemetry type, so it loads where the API is absent;
 * {@link OpenTelemetryMetrics}, which does, is touched only after the API proved visible.
 */
public final class Telemetry {
    private static final System.Logger LOG = System.getLogger(Telemetry.class.getName());
    static final String METER_API = "io.opentelemetry.api.metrics.Meter";

    private Telemetry() {
    }

    /**
     * Starts publishing the engine's metrics through the container's OpenTelemetry {@code Meter} (or
     * its {@code OpenTelemetry} bean) when there is one.
     *
     * @return what stops the publication (closing it detaches every instrument); never null
     */
    public static AutoCloseable publish(ArcanaEngine engine, BeanManager beans) {
        if (!visible(METER_API)) {
            LOG.log(System.Logger.Level.INFO, "ARCANA-TELEMETRY: no OpenTelemetry API visible to the application; "
                    + "the hops and counts are in {mount}/health and DevTools only");
            return () -> { };
        }
        try {
            return OpenTelemetryMetrics.publish(engine, beans);
        } catch (RuntimeException | LinkageError e) {
            // an API older than the one compiled against, or a container bean that fails: metrics are optional
            LOG.log(System.Logger.Level.WARNING, "ARCANA-TELEMETRY: OpenTelemetry metrics not published: " + e);
            return () -> { };
        }
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, Telemetry.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
