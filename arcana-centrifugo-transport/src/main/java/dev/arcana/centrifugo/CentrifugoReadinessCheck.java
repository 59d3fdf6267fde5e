package dev.arcana.centrifugo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code arcana-centrifugo}: the transport's state. When {@code arcana.transport} selects
 * Centrifugo, UP while the last API request succeeded ({@code state} {@code up}), DOWN after a
 * failed one (Centrifugo unreachable, 5xx until the retries ran out, or refusing the key) until a
 * request succeeds again; data: state, queued, in_flight, pending_resyncs, published, dropped,
 * api_errors, last_error. With another transport it is UP with {@code selected=false}.
 */
@Readiness
@ApplicationScoped
public class CentrifugoReadinessCheck implements HealthCheck {
    static final String NAME = "arcana-centrifugo";

    @Inject
    Config config;
    @Inject
    Instance<CentrifugoTransport> transports;

    @Override
    public HealthCheckResponse call() {
        String selected = config.getOptionalValue("arcana.transport", String.class).orElse("websocket")
                .trim().toLowerCase(Locale.ROOT);
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        if (!CentrifugoTransport.NAME.equals(selected)) {
            return response.up().withData("selected", false).build();
        }
        CentrifugoTransport transport;
        try {
            transport = transports.get();
        } catch (RuntimeException e) { // invalid configuration: the message names the keys
            return response.down().withData("selected", true).withData("state", "failed")
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
        CentrifugoStats stats = transport.stats();
        String state = transport.state();
        response.withData("selected", true)
                .withData("state", state)
                .withData("queued", stats.queued())
                .withData("in_flight", stats.inFlight())
                .withData("pending_resyncs", stats.pendingResyncs())
                .withData("published", stats.published())
                .withData("dropped", stats.dropped())
                .withData("api_errors", stats.apiErrors());
        transport.lastError().ifPresent(error -> response.withData("last_error", error));
        return response.status("up".equals(state)).build();
    }
}
