package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandshakeIdentityRequestTest {

    @Test
    void headersAreCaseInsensitiveAndTheFirstValueWins() {
        HandshakeIdentityRequest request = HandshakeIdentityRequest.of(
                Map.of("X-Seance-ID", List.of("s1", "s2"), "x-empty", List.of("  ")), Map.of(), null);

        assertThat(request.header("x-seance-id")).contains("s1");
        assertThat(request.header("X-SEANCE-ID")).contains("s1");
        assertThat(request.header("x-empty")).isEmpty();
        assertThat(request.header("missing")).isEmpty();
    }

    @Test
    void queryParametersAndCookiesAreRead() {
        HandshakeIdentityRequest request = HandshakeIdentityRequest.of(
                Map.of("cookie", List.of("session=abc; theme=\"dark\"; session=shadowed; broken; =x")),
                Map.of("seance", List.of("s9"), "blank", List.of("")), null);

        assertThat(request.queryParameter("seance")).contains("s9");
        assertThat(request.queryParameter("blank")).isEmpty();
        assertThat(request.cookie("session")).contains("abc");
        assertThat(request.cookie("theme")).contains("dark");
        assertThat(request.cookie("broken")).isEmpty();
    }

    @Test
    void thePrincipalAndTheAuthTokenAreOffered() {
        Principal alice = () -> "alice";
        HandshakeIdentityRequest request = HandshakeIdentityRequest.of(Map.of(), Map.of(), alice);

        assertThat(request.principal()).contains(alice);
        assertThat(request.token()).isEmpty();
        assertThat(request.withToken("t0k3n").token()).contains("t0k3n");
        assertThat(request.withToken("t0k3n").principal()).contains(alice);
        assertThat(request.withToken(" ").token()).isEmpty();
        assertThat(HandshakeIdentityRequest.EMPTY.principal()).isEqualTo(Optional.empty());
    }

    @Test
    void toStringShowsNoValues() {
        HandshakeIdentityRequest request = HandshakeIdentityRequest.of(Map.of("Authorization", List.of("Bearer secret")),
                Map.of("token", List.of("secret")), null).withToken("secret");

        assertThat(request.toString()).doesNotContain("secret").contains("Authorization");
    }
}
