package dev.arcana.ee.health;

import dev.arcana.ee.ArcanaRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness {@code arcana}: DOWN only when the engine failed to start, which no amount of waiting
 * repairs. A stopped or not yet started engine is a readiness matter.
 */
@Liveness
@ApplicationScoped
public class ArcanaLivenessCheck implements HealthCheck {
    /** Failure reasons are shown on an often public endpoint: kept short. */
    private static final int MAX_REASON = 200;

    @Inject
    ArcanaRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        ArcanaRuntime.State state = runtime.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("arcana")
                .withData("state", state.name().toLowerCase(Locale.ROOT))
                .status(state != ArcanaRuntime.State.FAILED);
        runtime.failure().ifPresent(reason -> response.withData("failure",
                reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…"));
        return response.build();
    }
}
