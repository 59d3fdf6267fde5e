package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @RepeatedTest(20)
    void delaysDoubleUpToTheMaximumWithEqualJitter() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (long ceiling : ceilings) {
            assertThat(backoff.nextDelayMillis()).isBetween(ceiling / 2, ceiling);
        }
        assertThat(backoff.attempts()).isEqualTo(6);
        backoff.reset();
        assertThat(backoff.attempts()).isZero();
        assertThat(backoff.nextDelayMillis()).isBetween(50L, 100L);
    }

    @Test
    void invalidBoundsAreRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
