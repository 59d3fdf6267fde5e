package dev.arcana.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void aScenarioAtAnotherRateKeepsItsShapeAndSaysItsRateInItsName() {
        Scenario load = Scenario.named("load");
        Scenario faster = load.withRate(500);

        assertThat(faster.name()).isEqualTo("load-500ps");
        assertThat(faster.commitsPerSecond()).isEqualTo(500);
        assertThat(faster.clients()).isEqualTo(load.clients());
        assertThat(faster.clientsPerWorkspace()).isEqualTo(10);
    }

    @Test
    void unknownNamesAndImpossibleShapesAreRefused() {
        assertThatThrownBy(() -> Scenario.named("heavy")).hasMessageContaining("unknown scenario 'heavy'");
        assertThatThrownBy(() -> Scenario.named("load").withClients(10, 100))
                .hasMessageContaining("at least one client per workspace");
        assertThatThrownBy(() -> Scenario.named("load").withRate(-1)).hasMessageContaining("rate must be >= 0");
        assertThatThrownBy(() -> Scenario.named("mutate").withClients(20, 20))
                .hasMessageContaining("an acting client and at least one other client per workspace");
    }

    @Test
    void instancesNHoldsNDistinctAssigneeViewsInOneWorkspaceWithTheSameClients() {
        Scenario ten = Scenario.named("instances-10");
        Scenario many = Scenario.named("instances-10000");

        assertThat(ten.views()).isEqualTo(Scenario.Views.BY_ASSIGNEE);
        assertThat(ten.tasksPerWorkspace()).as("a task per person, a person per instance").isEqualTo(10);
        assertThat(ten.clients()).isEqualTo(many.clients()).isEqualTo(100);
        assertThat(ten.subscriptionsPerClient()).isEqualTo(1);
        assertThat(many.subscriptionsPerClient()).isEqualTo(100);
        assertThat(many.workspaces()).isEqualTo(1);
        assertThat(many.tasksPerWorkspace()).isEqualTo(10_000);
        assertThatThrownBy(() -> Scenario.named("instances-150")).hasMessageContaining("multiple of 100");
        assertThatThrownBy(() -> Scenario.named("instances-1000").withClients(10, 1))
                .hasMessageContaining("every person's view must be subscribed");
    }

    @Test
    void theMutationScenarioKeepsItsKindAtAnotherRateOrShape() {
        Scenario mutate = Scenario.named("mutate");

        assertThat(mutate.mutations()).isTrue();
        assertThat(Scenario.named("load").mutations()).isFalse();
        assertThat(mutate.withRate(20).mutations()).isTrue();
        assertThat(mutate.withClients(40, 4).withDuration(5).mutations()).isTrue();
        assertThat(mutate.toString()).contains("mutations/s from one acting client per workspace");
    }
}
