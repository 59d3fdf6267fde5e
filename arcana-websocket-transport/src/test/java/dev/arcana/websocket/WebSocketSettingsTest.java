package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.InvalidSettingsException;
import dev.arcana.ee.SettingsReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebSocketSettingsTest {

    @Test
    void defaults() {
        WebSocketSettings settings = WebSocketSettings.defaults();

        assertThat(settings.mount()).isEqualTo("/arcana");
        assertThat(settings.endpointPath()).isEqualTo("/arcana/ws");
        assertThat(settings.queueLimit()).isEqualTo(1000);
        assertThat(settings.maxFrameBytes()).isEqualTo(65_536);
        assertThat(settings.gracePeriodMs()).isEqualTo(30_000);
        assertThat(settings.heartbeatMs()).isEqualTo(25_000);
        assertThat(settings.idleTimeoutMs()).isEqualTo(75_000);
        assertThat(settings.sendTimeoutMs()).isEqualTo(10_000);
        assertThat(settings.authTimeoutMs()).isEqualTo(10_000);
        assertThat(settings.allowedOrigins()).isEmpty();
        assertThat(settings.sweepIntervalMs()).isEqualTo(5_000);
        assertThat(settings.describe()).contains("arcana.ws.queue-limit=1000", "arcana.ws.allowed-origins=(any)");
    }

    @Test
    void aContainersIdleTimeoutIsRaisedOnlyWhenItIsSetAndWouldCloseFirst() {
        WebSocketSettings settings = WebSocketSettings.defaults(); // heartbeat 25 s, idle close after 75 s

        assertThat(settings.containerIdleTimeoutMs(0)).as("none: left alone (Payara)").isEmpty();
        assertThat(settings.containerIdleTimeoutMs(30_000)).as("would close first").hasValue(100_000);
        assertThat(settings.containerIdleTimeoutMs(300_000)).as("longer than ours").isEmpty();
        assertThat(WebSocketSettings.of(Map.of(WebSocketSettings.HEARTBEAT_MS, "0")).containerIdleTimeoutMs(30_000))
                .as("no heartbeats, no idle close of ours: the container's stays").isEmpty();
    }

    @Test
    void everyInvalidKeyIsNamedAtOnce() {
        assertThatThrownBy(() -> WebSocketSettings.of(Map.of(
                WebSocketSettings.QUEUE_LIMIT, "lots",
                WebSocketSettings.MAX_FRAME_BYTES, "10",
                WebSocketSettings.HEARTBEAT_MS, "-5",
                ArcanaSettings.MOUNT, "arcana/../x",
                WebSocketSettings.ALLOWED_ORIGINS, "example.com")))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "arcana.mount='arcana/../x' must be a path that starts with '/', does not end with '/'"
                                        + " and uses only letters, digits and . _ ~ - (e.g. /arcana)",
                                "arcana.ws.queue-limit='lots' is not an integer",
                                "arcana.ws.max-frame-bytes='10' must be between 256 and 16777216",
                                "arcana.ws.heartbeat-ms='-5' must be between 100 and 3600000, or 0 to disable heartbeats",
                                "arcana.ws.allowed-origins holds 'example.com': an origin is scheme://host[:port], "
                                        + "e.g. https://app.example.com"))
                .hasMessageStartingWith("ARCANA-CONFIG: invalid configuration (5 problems): arcana.mount=");
    }

    @Test
    void valuesAreTrimmed() {
        WebSocketSettings settings = WebSocketSettings.of(Map.of(
                ArcanaSettings.MOUNT, " /api/live ",
                WebSocketSettings.QUEUE_LIMIT, " 5 ",
                WebSocketSettings.GRACE_PERIOD_MS, "0"));

        assertThat(settings.endpointPath()).isEqualTo("/api/live/ws");
        assertThat(settings.queueLimit()).isEqualTo(5);
        assertThat(settings.gracePeriodMs()).isZero();
    }

    @Test
    void mountIsValidatedLikeTheHttpSideSoBothAgree() {
        assertThatThrownBy(() -> WebSocketSettings.of(Map.of(ArcanaSettings.MOUNT, "/api/live/")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("arcana.mount='/api/live/' must be a path that starts with '/', does not end with '/'");
    }

    @Test
    void aHeartbeatOfZeroTurnsHeartbeatsAndTheIdleCloseOff() {
        WebSocketSettings settings = WebSocketSettings.of(Map.of(WebSocketSettings.HEARTBEAT_MS, "0"));

        assertThat(settings.heartbeatMs()).isZero();
        assertThat(settings.idleTimeoutMs()).isZero();
        assertThat(settings.sweepIntervalMs()).isEqualTo(5_000);
    }

    @Test
    void originsAreMatchedCaseInsensitivelyAndRequestsWithoutOriginPass() {
        WebSocketSettings settings = WebSocketSettings.of(Map.of(WebSocketSettings.ALLOWED_ORIGINS,
                "https://App.example.com, http://localhost:9080"));

        assertThat(settings.allowedOrigins()).isEqualTo(Set.of("https://app.example.com", "http://localhost:9080"));
        assertThat(settings.isOriginAllowed("https://app.EXAMPLE.com")).isTrue();
        assertThat(settings.isOriginAllowed("http://localhost:9080")).isTrue();
        assertThat(settings.isOriginAllowed("https://evil.example")).isFalse();
        assertThat(settings.isOriginAllowed(null)).isTrue();
        assertThat(WebSocketSettings.defaults().isOriginAllowed("https://anything")).isTrue();
    }

    @Test
    void anUnreadableValueIsNamed() {
        SettingsReader reader = new SettingsReader(key -> {
            if (key.equals(WebSocketSettings.SEND_TIMEOUT_MS)) {
                throw new IllegalArgumentException("cannot expand ${missing}");
            }
            return Optional.empty();
        });
        new WebSocketSettings(reader, "/arcana");
        assertThat(reader.problems()).containsExactly("arcana.ws.send-timeout-ms cannot be read: cannot expand ${missing}");
    }

    @Test
    void theSettingsPassReportsThisModulesBadKeysWithTheCoreOnesInOneException() {
        Map<String, String> values = Map.of(ArcanaSettings.DEBOUNCE_MS, "soon", WebSocketSettings.QUEUE_LIMIT, "0",
                "arcana.wal.slot", "Bad-Slot");
        assertThatThrownBy(() -> new ArcanaSettings(key -> Optional.ofNullable(values.get(key)),
                List.of(new WebSocketSettings.Section())))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems()).containsExactly(
                        "arcana.debounce-ms='soon' is not an integer",
                        "arcana.wal.slot='Bad-Slot' must be 1-63 lower-case letters, digits and underscores",
                        "arcana.ws.queue-limit='0' must be between 1 and 1000000"));
    }

    @Test
    void theSectionIsFoundByTheServiceLoaderAndGetsTheMountParsedOnce() {
        ArcanaSettings settings = new ArcanaSettings(key -> Optional.ofNullable(
                Map.of(ArcanaSettings.MOUNT, "/live").get(key)));

        assertThat(settings.section(WebSocketSettings.class)).get()
                .extracting(WebSocketSettings::endpointPath).isEqualTo("/live/ws");
    }
}
