package dev.arcana.ee.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArcanaMountListenerTest {

    @Test
    void theDefaultMappingMatchesTheDefaultMount() {
        assertThat(ArcanaMountListener.check("/arcana", List.of("/arcana/*"))).isNull();
    }

    @Test
    void aWebXmlMappingThatMatchesTheMountIsFine() {
        assertThat(ArcanaMountListener.check("/live", List.of("/live/*"))).isNull();
    }

    @Test
    void aMountTheMappingDoesNotFollowIsExplainedWithTheWebXmlFix() {
        assertThat(ArcanaMountListener.check("/live", List.of("/arcana/*"))).isEqualTo(
                "arcana.mount=/live but the HTTP endpoints are mapped to [/arcana/*] (the WebSocket endpoint follows "
                        + "arcana.mount, HTTP follows the servlet mapping). To serve HTTP at /live, add to WEB-INF/web.xml: "
                        + "<servlet><servlet-name>dev.arcana.ee.rest.ArcanaRestApplication</servlet-name></servlet>"
                        + "<servlet-mapping><servlet-name>dev.arcana.ee.rest.ArcanaRestApplication</servlet-name>"
                        + "<url-pattern>/live/*</url-pattern></servlet-mapping>");
    }

    @Test
    void unknownMappingsSayNothing() {
        assertThat(ArcanaMountListener.check("/live", List.of())).isNull();
    }
}
