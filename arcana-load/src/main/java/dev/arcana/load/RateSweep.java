package dev.arcana.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rate sweep: one scenario shape run at rising commit rates until the p99 commit → frame
 * latency passes a limit or anything is lost; the last rate that passed is the engine's ceiling on
 * this machine. The failing step is kept (it shows where the knee is).
 *
 * @param rates        commits per second, ascending
 * @param p99LimitMs   a step whose p99 is above this fails the sweep
 */
record RateSweep(Scenario shape, int[] rates, double p99LimitMs) {

    RateSweep {
        if (rates.length == 0) {
            throw new IllegalArgumentException("a sweep needs at least one rate");
        }
        for (int i = 1; i < rates.length; i++) {
            if (rates[i] <= rates[i - 1]) {
                throw new IllegalArgumentException("sweep rates must rise: " + Arrays.toString(rates));
            }
        }
        if (p99LimitMs <= 0) {
            throw new IllegalArgumentException("the p99 limit must be positive");
        }
    }

    /** {@code --sweep 200,400,...} over the {@code load} shape (or {@code --sweep-scenario NAME}). */
    static RateSweep parse(String rates, String scenario, String limitMs, int durationSeconds) {
        int[] parsed = Arrays.stream(rates.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        return new RateSweep(Scenario.named(scenario).withDuration(durationSeconds), parsed,
                Double.parseDouble(limitMs));
    }

    /** Whether a step keeps the sweep going. */
    boolean passes(ScenarioResult step) {
        return step.consistent() && step.percentileMicros(99) / 1_000.0 <= p99LimitMs;
    }

    /** Runs one step of the sweep. */
    interface Step {
        ScenarioResult run(Scenario scenario) throws Exception;
    }

    /** Runs the steps in order, stopping after the first that fails; returns every step run. */
    List<ScenarioResult> run(Step runStep) throws Exception {
        List<ScenarioResult> steps = new ArrayList<>();
        for (int rate : rates) {
            ScenarioResult step = runStep.run(shape.withRate(rate));
            steps.add(step);
            if (!passes(step)) {
                break;
            }
        }
        return steps;
    }

    /** The highest rate that passed, 0 if none did. */
    int ceiling(List<ScenarioResult> steps) {
        return steps.stream().filter(this::passes).mapToInt(step -> step.scenario().commitsPerSecond()).max()
                .orElse(0);
    }
}
