package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineConfigTest {

    @Test
    void defaults() {
        EngineConfig config = EngineConfig.defaults();
        assertThat(config.debounce()).as("no floor: runs are paced by their cost").isZero();
        assertThat(config.maxSubscriptionsPerSeance()).isEqualTo(100);
        assertThat(config.snapshotThreshold()).isEqualTo(50);
        assertThat(config.gcInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void invalidValuesAreAllNamedInOneError() {
        assertThatThrownBy(() -> EngineConfig.builder()
                .debounce(Duration.ofMillis(-1))
                .maxSubscriptionsPerSeance(0)
                .snapshotThreshold(0)
                .gcInterval(Duration.ZERO)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid engine config: debounce must be zero or positive, got PT-0.001S; "
                        + "gcInterval must be positive, got PT0S; "
                        + "maxSubscriptionsPerSeance must be at least 1, got 0; "
                        + "snapshotThreshold must be at least 1, got 0");
    }

    @Test
    void zeroDebounceIsAllowed() {
        assertThat(EngineConfig.builder().debounce(Duration.ZERO).build().debounce()).isZero();
    }
}
