package dev.arcana.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.NotStartedException;
import dev.arcana.ee.cdi.ArcanaExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArcanaRuntimeTest {

    @Test
    void aFailedStartIsKeptAndNamesTheKey() {
        ArcanaRuntime runtime = new ArcanaRuntime();
        runtime.settings = ArcanaSettings.of(Map.of("arcana.datasource", "jdbc/missing"));
        runtime.extension = new ArcanaExtension();

        assertThatThrownBy(runtime::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ARCANA-START: the engine could not start: "
                        + "nothing is bound at JNDI name 'jdbc/missing' (arcana.datasource)");
        assertThat(runtime.state()).isEqualTo(ArcanaRuntime.State.FAILED);
        assertThat(runtime.failure()).get().asString().startsWith("nothing is bound at JNDI name 'jdbc/missing'");
        // requests see "not ready", and a second start does not retry silently
        assertThatThrownBy(runtime::runningEngine).isInstanceOf(NotStartedException.class);
        assertThatThrownBy(runtime::start).hasMessageStartingWith("ARCANA-START: the engine failed to start: ");
    }

    @Test
    void stopBeforeStartIsQuietAndFinal() {
        ArcanaRuntime runtime = new ArcanaRuntime();

        runtime.stop();

        assertThat(runtime.state()).isEqualTo(ArcanaRuntime.State.STOPPED);
        assertThatThrownBy(runtime::start).isInstanceOf(NotStartedException.class);
    }
}
