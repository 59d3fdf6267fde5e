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
    }
}
