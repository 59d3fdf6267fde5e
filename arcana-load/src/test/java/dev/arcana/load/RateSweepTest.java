package dev.arcana.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RateSweepTest {

    /** A step whose every delivery took {@code ms}; {@code mismatched} views when something was lost. */
    static ScenarioResult step(Scenario scenario, long ms, int mismatched) {
        long[] latencies = LongStream.generate(() -> ms * 1_000).limit(100).toArray();
        return new ScenarioResult(scenario, "shared", 100, 1, latencies, 100, 100, 1, 100, 1, -1, -1, 0, 0,
                mismatched, 0, 0, 0, 0, null, new long[0], new long[0], null, null, null);
    }

    @Test
    void stopsAfterTheFirstRateOverTheLimitAndReportsTheLastThatPassed() throws Exception {
        Map<Integer, Long> p99ByRate = Map.of(200, 5L, 400, 12L, 800, 60L, 1600, 8L);
        RateSweep sweep = RateSweep.parse("200,400,800,1600", "load", "50", 20);
        List<Integer> ran = new ArrayList<>();
        List<ScenarioResult> steps = sweep.run(scenario -> {
            ran.add(scenario.commitsPerSecond());
            return step(scenario, p99ByRate.get(scenario.commitsPerSecond()), 0);
        });
        assertThat(ran).containsExactly(200, 400, 800);
        assertThat(steps).hasSize(3);
        assertThat(sweep.ceiling(steps)).isEqualTo(400);
        assertThat(steps.get(0).scenario().durationSeconds()).isEqualTo(20);
    }

    @Test
    void anythingLostEndsTheSweepWhateverTheLatency() throws Exception {
        RateSweep sweep = RateSweep.parse("200,400", "load", "50", 20);
        List<ScenarioResult> steps = sweep.run(scenario -> step(scenario, 1, 1));
        assertThat(steps).hasSize(1);
        assertThat(sweep.ceiling(steps)).isZero();
    }

    @Test
    void ratesMustRiseAndTheLimitBePositive() {
        assertThatThrownBy(() -> RateSweep.parse("400,200", "load", "50", 20))
                .hasMessageContaining("must rise");
        assertThatThrownBy(() -> RateSweep.parse("200", "load", "0", 20)).hasMessageContaining("positive");
        assertThatThrownBy(() -> RateSweep.parse("", "load", "50", 20)).isInstanceOf(NumberFormatException.class);
    }
}
