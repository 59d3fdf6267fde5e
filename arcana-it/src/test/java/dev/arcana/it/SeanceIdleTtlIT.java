package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The seance idle TTL on Liberty, against server B (3 s TTL, swept every 500 ms; see the pom): a
 * seance that only calls HTTP lives while it calls and is released after it stops; a seance on
 * the WebSocket lives however long it stays silent, because the hub holds it.
 */
class SeanceIdleTtlIT {
    private static final URI SERVER_B = URI.create(System.getProperty("arcana.it.b.baseUrl", "http://localhost:9181"));
    private static final String TASKS = "{\"view\":\"task_list\",\"params\":{}}";

    @Test
    void anHttpOnlySeanceLivesWhileItCallsAndIsReleasedWhenItStops() {
        String[] identity = Http.as("http-ttl-" + UUID.randomUUID(), "ada", "acme");
        Http.Reply subscribed = Http.callAt(SERVER_B, "POST", "/arcana/subscribe", TASKS, identity);
        assertThat(subscribed.status()).as("subscribe %s", subscribed.body()).isEqualTo(200);

        // a keep-alive call per second, for longer than the TTL: the subscription stays
        await("kept alive by its calls").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .pollInterval(Duration.ofSeconds(1)).until(() -> active(identity).size() == 1);

        // silent now. Each /active call would keep the seance, so the check comes only after a silence longer
        // than TTL + sweep (4.5 s), and again 5 s later should the first check have come before the sweep.
        await("released after the TTL").pollDelay(Duration.ofMillis(4_500)).pollInterval(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(12)).until(() -> active(identity).isEmpty());
    }

    @Test
    void aSilentWebSocketSeanceIsHeldByTheHubPastTheTtl() {
        String seance = "ws-ttl-" + UUID.randomUUID();
        try (WsClient client = WsClient.connect(SERVER_B.toString().replaceFirst("^http", "ws") + "/arcana/ws?seance="
                + seance + "&user=ada&workspace=acme")) {
            JsonObject snapshot = ChangeDetectionIT.subscribeTasks(client);

            // the seance says nothing for longer than TTL + sweep; the connection stays open (the hub pings it)
            await("a silent, open connection").during(Duration.ofMillis(4_500)).atMost(Duration.ofSeconds(8))
                    .pollInterval(Duration.ofMillis(500)).until(client::isOpenForSending);

            // a sync without params answers not_found for a subscription the engine no longer has
            JsonObject reply = client.request(Json.createObjectBuilder().add("type", "sync")
                    .add("views", Json.createArrayBuilder().add(Json.createObjectBuilder().add("view", "task_list")
                            .add("params_hash", snapshot.getString("params_hash"))
                            .add("version", snapshot.getInt("version")))).build());
            assertThat(reply.toString()).as("still subscribed: %s", reply).doesNotContain("not_found")
                    .contains("catch_up");
        }
    }

    private static java.util.List<JsonValue> active(String[] identity) {
        Http.Reply reply = Http.callAt(SERVER_B, "GET", "/arcana/active", null, identity);
        assertThat(reply.status()).isEqualTo(200);
        return reply.body().getJsonArray("data");
    }
}
