package dev.arcana.centrifugo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ForbiddenException;
import dev.arcana.api.Identity;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CentrifugoTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private final CentrifugoTokens tokens = new CentrifugoTokens(SECRET, new Channels("ws", "views"),
            Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
    private final Identity ada = new Identity("seance-1", "ada", "acme");

    @Test
    void connectionTokenNamesTheSeanceAndSubscribesExactlyItsChannels() {
        String token = tokens.connectionToken(ada);

        assertSignedWithTheSecret(token);
        JsonObject header = part(token, 0);
        assertThat(header.getString("alg")).isEqualTo("HS256");
        assertThat(header.getString("typ")).isEqualTo("JWT");
        JsonObject claims = part(token, 1);
        assertThat(claims.getString("sub")).isEqualTo("seance-1");
        assertThat(claims.getJsonNumber("exp").longValue()).isEqualTo(NOW.getEpochSecond() + 600);
        assertThat(claims.getJsonNumber("iat").longValue()).isEqualTo(NOW.getEpochSecond());
        assertThat(claims.getJsonObject("info")).isEqualTo(Json.createObjectBuilder()
                .add("user", "ada").add("workspace", "acme").build());
        assertThat(claims.getJsonArray("channels").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("ws:acme", "views:seance-1");
    }

    @Test
    void subscriptionTokenForOwnChannel() {
        String token = tokens.subscriptionToken(ada, "views:seance-1");

        assertSignedWithTheSecret(token);
        JsonObject claims = part(token, 1);
        assertThat(claims.getString("sub")).isEqualTo("seance-1");
        assertThat(claims.getString("channel")).isEqualTo("views:seance-1");
        assertThat(claims.getJsonNumber("exp").longValue()).isEqualTo(NOW.getEpochSecond() + 600);
    }

    @Test
    void noSubscriptionTokenForAnotherSeanceOrWorkspace() {
        assertThatThrownBy(() -> tokens.subscriptionToken(ada, "views:seance-2")).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("views:seance-2");
        assertThatThrownBy(() -> tokens.subscriptionToken(ada, "ws:globex")).isInstanceOf(ForbiddenException.class);
    }

    private static void assertSignedWithTheSecret(String token) {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(new Hs256Jwt(SECRET).signature(parts[0] + "." + parts[1])).isEqualTo(parts[2]);
    }

    private static JsonObject part(String token, int index) {
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(json)).readObject();
    }
}
