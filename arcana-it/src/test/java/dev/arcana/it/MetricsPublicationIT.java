package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Through what the server under test lets Arcana publish its metrics (README, "Metrics"): the start-up line.
 * {@code arcana.it.telemetry} names what the module's server offers: {@code Meter bean}, {@code OpenTelemetry
 * bean}, or nothing (Liberty server A has no mpTelemetry: no OpenTelemetry API is visible there).
 */
@Tag(ExampleServer.PORTABLE)
class MetricsPublicationIT {

    @Test
    void theStartUpLineSaysThroughWhatTheMetricsArePublished() throws IOException {
        ExampleServer.awaitReady();
        String offered = System.getProperty("arcana.it.telemetry", "");
        String expected = offered.isEmpty()
                ? "ARCANA-TELEMETRY: no OpenTelemetry API visible to the application"
                : "ARCANA-TELEMETRY: publishing arcana.hop.duration [waited, run, pushed, total, written] and the "
                        + "engine's counts through the server's " + offered;
        assertThat(Files.readString(ExampleServer.SERVER_LOG, StandardCharsets.UTF_8)).contains(expected);
    }
}
