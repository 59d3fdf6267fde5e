package dev.arcana.ee.health;

import dev.arcana.api.EngineStats;
import dev.arcana.api.spi.DetectorStatus;
import dev.arcana.ee.ArcanaRuntime;
import dev.arcana.engine.ArcanaEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code arcana}: UP when the engine runs, the database answers {@code SELECT 1} within
 * 2 s and the change detector is up. Data: state, running, subscriptions, detector mode/state/lag,
 * database.
 */
@Readiness
@ApplicationScoped
public class ArcanaReadinessCheck implements HealthCheck {
    static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    ArcanaRuntime runtime;

    private final DatabaseProbe probe = new DatabaseProbe();

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("arcana")
                .withData("state", runtime.state().name().toLowerCase(Locale.ROOT));
        ArcanaEngine engine = runtime.engine().orElse(null);
        boolean running = engine != null && runtime.state() == ArcanaRuntime.State.RUNNING && engine.isRunning();
        response.withData("running", running);
        if (!running) {
            return response.down().build();
        }
        EngineStats stats = engine.stats();
        DetectorStatus detector = engine.detectorStatus();
        response.withData("subscriptions", stats.subscriptions())
                .withData("detector_mode", detector.mode())
                .withData("detector_state", detector.state())
                .withData("detector_lag", detector.lag());
        Optional<String> database = probe.check(runtime.dataSource().orElseThrow(),
                runtime.executor().orElseThrow(), DATABASE_TIMEOUT);
        response.withData("database", database.orElse("up"));
        return response.status(database.isEmpty() && detector.isUp()).build();
    }
}
