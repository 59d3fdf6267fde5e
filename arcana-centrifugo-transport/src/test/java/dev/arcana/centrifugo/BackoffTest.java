package dev.arcana.centrifugo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithJitterBetweenHalfAndAll() {
        Backoff low = new Backoff(100, 1_000, () -> 0.0);
        Backoff high = new Backoff(100, 1_000, () -> 0.999_999);

        assertThat(low.delayMs(0)).isEqualTo(50);
        assertThat(high.delayMs(0)).isEqualTo(99);
        assertThat(low.delayMs(1)).isEqualTo(100);
        assertThat(high.delayMs(2)).isEqualTo(399);
        assertThat(low.delayMs(4)).isEqualTo(500); // 1,600 capped at 1,000
        assertThat(high.delayMs(4)).isEqualTo(999);
    }

    @Test
    void hugeRetryCountsStayAtTheCap() {
        Backoff backoff = new Backoff(3, 60_000, () -> 0.0);
        assertThat(backoff.delayMs(61)).isEqualTo(30_000);
        assertThat(backoff.delayMs(1_000)).isEqualTo(30_000);
    }

    @Test
    void refusesAMaxBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(10, 5, () -> 0.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
