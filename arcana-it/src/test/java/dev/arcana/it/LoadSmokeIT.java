package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.load.Scenario;
import dev.arcana.load.ScenarioResult;
import dev.arcana.load.ScenarioRunner;
import dev.arcana.load.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load driver's smallest scenario against the IT server (trigger mode, plain SQL writes): 50
 * WebSocket clients in 5 workspaces with 2 subscriptions each while a writer commits 20 single-row
 * changes per second for 10 s. Fails on any lost, duplicated or out-of-order update: every client's
 * views must equal a fresh query at the end, and every commit must have reached every client of its
 * workspace. Latency figures are printed, not asserted (they come from BENCHMARKS.md runs).
 */
class LoadSmokeIT {

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
    }

    @Test
    void smokeScenarioLosesAndDuplicatesNothing() throws Exception {
        Target target = Target.of(ExampleServer.BASE_URL.toString(), ExampleServer.DB_URL, Target.WriteMode.SQL);

        ScenarioResult result = new ScenarioRunner(target, System.out::println).run(Scenario.named("smoke"), "it");

        assertThat(result.commits()).as("commits written").isGreaterThanOrEqualTo(150);
        assertThat(result.latenciesMicros().length).as("commit → frame deliveries measured")
                .isGreaterThanOrEqualTo((int) result.commits() * result.scenario().clientsPerWorkspace());
        assertThat(result.firstProblem()).as("first difference from a fresh query").isEmpty();
        assertThat(result.mismatchedViews()).as("client views that differ from a fresh query").isZero();
        assertThat(result.uncreditedCommits()).as("commits a client never received").isZero();
        assertThat(result.duplicates()).as("frames received twice or out of order").isZero();
        assertThat(result.gaps()).as("frames missing between versions").isZero();
        assertThat(result.resyncs()).as("resyncs (a client's queue overflowed)").isZero();
        assertThat(result.factoryRuns()).as("factory runs: shared instances, coalesced")
                .isLessThanOrEqualTo(result.commits() * result.scenario().subscriptionsPerClient());
    }
}
