package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines more requests than {@code arcana.ws.max-requests-in-flight} (64 on the
 * test server, the default) while its replies are stuck on the wire: the excess is refused with
 * {@code too_many_requests}, each request gets exactly one reply, and the connection stays usable.
 */
class WebSocketRequestCapIT {
    private static final int CAP = 64;
    private static final int EXTRA = 20;
    private static final int BLOCKING_SYNCS = 4;

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
    }

    @Test
    void requestsBeyondTheInFlightCapGetTooManyRequestsAndTheConnectionKeepsWorking() {
        String ws = "ws-" + UUID.randomUUID();
        String title = "t".repeat(200);
        for (int i = 0; i < 100; i++) {
            Http.Reply created = Http.call("POST", "/api/tasks", "{\"title\":\"" + title + "\"}",
                    Http.as("writer", "ada", ws));
            assertThat(created.status()).isEqualTo(201);
        }
        String hash = Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\"}",
                        Http.as("probe-" + UUID.randomUUID(), "ada", ws))
                .body().getJsonObject("data").getString("params_hash");
        try (WsClient client = WsClient.connect(Http.wsUrl("s-" + UUID.randomUUID(), "ada", ws), false)) {
            // sync replies of ~4 MB each, unread: the socket buffers fill and one stays on the wire
            for (int sync = 0; sync < BLOCKING_SYNCS; sync++) {
                JsonArrayBuilder views = Json.createArrayBuilder();
                for (int i = 0; i < 100; i++) {
                    views.add(Json.createObjectBuilder().add("view", "task_list").add("params_hash", hash)
                            .add("version", 0).add("params", Json.createObjectBuilder()));
                }
                client.send(Json.createObjectBuilder().add("type", "sync").add("views", views).build());
            }
            List<String> pings = new ArrayList<>();
            for (int i = 0; i < CAP + EXTRA; i++) {
                pings.add(client.send(Json.createObjectBuilder().add("type", "ping").build()));
            }

            client.read(Long.MAX_VALUE);
            int refused = 0;
            for (String id : pings) {
                JsonObject reply = client.await(f -> id.equals(f.getString("reply_to", null)), Duration.ofSeconds(60));
                if ("error".equals(reply.getString("type"))) {
                    assertThat(reply.getString("code")).isEqualTo("too_many_requests");
                    refused++;
                } else {
                    assertThat(reply.getString("type")).isEqualTo("pong");
                }
            }
            // the sync replies still waiting behind the one on the wire (0..3) count against the cap too
            assertThat(refused).isBetween(EXTRA, EXTRA + BLOCKING_SYNCS - 1);

            JsonObject snapshot = client.request(Json.createObjectBuilder().add("type", "subscribe")
                    .add("view", "task_list").add("params", Json.createObjectBuilder()).build());
            assertThat(snapshot.getString("type")).as("still served: %s", snapshot).isEqualTo("snapshot");
            assertThat(client.isOpenForSending()).isTrue();
        }
    }
}
