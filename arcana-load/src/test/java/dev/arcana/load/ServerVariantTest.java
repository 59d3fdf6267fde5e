package dev.arcana.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerVariantTest {

    @Test
    void strategiesAreTheEngineStrategyAndTheMutationPathsToggleTheExamplesDeclaredChanges() {
        assertThat(ServerVariant.parse("naive")).isEqualTo(new ServerVariant("naive", "naive", Map.of()));
        assertThat(ServerVariant.parse(" shared ")).isEqualTo(new ServerVariant("shared", "shared", Map.of()));
        assertThat(ServerVariant.parse("fast-path")).isEqualTo(new ServerVariant("fast-path", "shared",
                Map.of("EXAMPLE_MUTATION_DECLARE_CHANGES", "true")));
        assertThat(ServerVariant.parse("detector-path")).isEqualTo(new ServerVariant("detector-path", "shared",
                Map.of("EXAMPLE_MUTATION_DECLARE_CHANGES", "false")));
        assertThat(ServerVariant.parse("unindexed")).isEqualTo(new ServerVariant("unindexed", "unindexed", Map.of()));
        assertThatThrownBy(() -> ServerVariant.parse("fast")).hasMessageContaining("unknown strategy 'fast'");
    }

    @Test
    void naiveSkipsIdleScenariosOnly() {
        assertThat(ServerVariant.parse("naive").runs(Scenario.named("idle"))).isFalse();
        assertThat(ServerVariant.parse("naive").runs(Scenario.named("load"))).isTrue();
        assertThat(ServerVariant.parse("detector-path").runs(Scenario.named("idle"))).isTrue();
    }
}
