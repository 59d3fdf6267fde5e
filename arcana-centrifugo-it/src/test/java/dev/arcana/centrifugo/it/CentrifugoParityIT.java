package dev.arcana.centrifugo.it;

import static dev.arcana.centrifugo.it.ExampleApps.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcana.centrifugo.FakeCentrifugo;
import dev.arcana.centrifugo.Hs256Jwt;
import dev.arcana.centrifugo.it.ExampleApps.Reply;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example app twice on one Liberty server and one database ({@link ExampleApps}): {@code /ws}
 * with the WebSocket transport, {@code /cf} switched to Centrifugo by configuration only,
 * publishing to the fake Centrifugo server started here.
 *
 * <p>The demo uses explicit change notification: a write through one app's {@code /api/tasks}
 * reaches only that app's engine. So each write is made through {@code /ws} and then repeated,
 * identically, through {@code /cf} (a no-op for the database, but the notification makes
 * {@code /cf}'s engine look). Both engines start from the same state and see the same rows, so
 * their pushes must be the same: the WebSocket frames of {@code /ws} equal the publications' data
 * of {@code /cf}, in order, with nothing normalised.
 */
class CentrifugoParityIT {
    private static FakeCentrifugo centrifugo;

    @BeforeAll
    static void start() throws IOException {
        centrifugo = ExampleApps.centrifugo();
    }

    @Test
    void theSameWritesGiveTheSameFramesOverWebSocketAndCentrifugo() {
        String workspace = "parity-" + UUID.randomUUID();
        String wsSeance = "ws-" + UUID.randomUUID();
        String cfSeance = "cf-" + UUID.randomUUID();
        URI wsUri = URI.create(ExampleApps.BASE.toString().replaceFirst("^http", "ws") + "ws/arcana/ws?seance="
                + wsSeance + "&user=ada&workspace=" + workspace);
        try (WsFrames ws = WsFrames.connect(wsUri)) {
            ws.send("{\"id\":\"1\",\"type\":\"subscribe\",\"view\":\"task_list\",\"params\":{}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> ws.frames().stream()
                    .anyMatch(f -> "1".equals(f.getString("reply_to", null))));
            Reply cfSnapshot = call("POST", "cf/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                    cfSeance, workspace);
            assertThat(cfSnapshot.status()).as("subscribe on /cf: %s", cfSnapshot.body()).isEqualTo(200);

            // create through /ws; /cf's engine is told about the same row by a same-value PATCH through /cf
            Reply created = call("POST", "ws/api/tasks", "{\"title\":\"Parity\"}", "writer", workspace);
            assertThat(created.status()).as("create: %s", created.body()).isEqualTo(201);
            String id = created.body().getString("id");
            awaitSettled(ws::pushes, 0);
            patch("cf", id, "{\"title\":\"Parity\"}", workspace);
            awaitSettled(() -> publicationData(cfSeance, workspace), 0);

            // a field change (table_diff only), then one that moves the task in the view (title order)
            for (String update : List.of("{\"done\":true}", "{\"title\":\"Parity, renamed\"}")) {
                int wsBefore = ws.pushes().size();
                patch("ws", id, update, workspace);
                awaitSettled(ws::pushes, wsBefore);
                int cfBefore = publicationData(cfSeance, workspace).size();
                patch("cf", id, update, workspace);
                awaitSettled(() -> publicationData(cfSeance, workspace), cfBefore);
            }

            List<JsonObject> frames = ws.pushes();
            assertThat(frames).as("create: view_diff; done: table_diff; rename: table_diff").hasSizeGreaterThanOrEqualTo(3)
                    .extracting(f -> f.getString("type")).contains("table_diff", "view_diff");
            assertThat(publicationData(cfSeance, workspace)).isEqualTo(frames);
            assertThat(centrifugo.publications()).extracting(FakeCentrifugo.Publication::channel)
                    .filteredOn(c -> c.endsWith(workspace) || c.endsWith(cfSeance))
                    .containsOnly("workspace:" + workspace, "views:" + cfSeance);
            assertThat(centrifugo.requests()).allSatisfy(r -> {
                assertThat(r.header("X-API-Key")).isEqualTo(ExampleApps.API_KEY);
                assertThat(r.path()).isIn("/api/publish", "/api/batch", "/api/broadcast", "/api/disconnect");
            });
        }
    }

    @Test
    void theTokenEndpointAuthorisesTheCallerForExactlyItsChannels() {
        String seance = "tok-" + UUID.randomUUID();
        Reply reply = call("GET", "cf/arcana/centrifugo/token", null, seance, "acme");
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        JsonObject data = reply.body().getJsonObject("data");
        String token = data.getString("token");
        String[] parts = token.split("\\.");
        Hs256Jwt signer = new Hs256Jwt(ExampleApps.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(signer.signature(parts[0] + "." + parts[1])).isEqualTo(parts[2]);
        JsonObject claims = claims(token);
        assertThat(claims.getString("sub")).isEqualTo(seance);
        assertThat(claims.getJsonArray("channels").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("workspace:acme", "views:" + seance);
        assertThat(data.getJsonArray("channels")).isEqualTo(claims.getJsonArray("channels"));

        Reply subscription = call("GET", "cf/arcana/centrifugo/token?channel=views:" + seance, null, seance, "acme");
        assertThat(subscription.status()).isEqualTo(200);
        assertThat(claims(subscription.body().getJsonObject("data").getString("token")).getString("channel"))
                .isEqualTo("views:" + seance);

        Reply foreign = call("GET", "cf/arcana/centrifugo/token?channel=workspace:globex", null, seance, "acme");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body().getString("code")).isEqualTo("forbidden");
        assertThat(call("GET", "cf/arcana/centrifugo/token", null).status()).isEqualTo(401);
        // the token claimed the seance for ada@acme: nobody else gets a token for its channel, nor uses it over HTTP
        Reply otherWorkspace = call("GET", "cf/arcana/centrifugo/token", null, seance, "globex");
        assertThat(otherWorkspace.status()).as("%s", otherWorkspace.body()).isEqualTo(403);
        assertThat(otherWorkspace.body().getString("code")).isEqualTo("forbidden");
        assertThat(call("POST", "cf/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}", seance, "globex")
                .status()).isEqualTo(403);
        assertThat(call("GET", "ws/arcana/centrifugo/token", null, seance, "acme").status())
                .as("no token endpoint where the WebSocket transport is selected").isNotEqualTo(200);
    }

    @Test
    void readinessReportsTheCentrifugoTransportState() {
        // make /cf talk to Centrifugo at least once
        String workspace = "health-" + UUID.randomUUID();
        String seance = "h-" + UUID.randomUUID();
        assertThat(call("POST", "cf/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}", seance,
                workspace).status()).isEqualTo(200);
        Reply created = call("POST", "cf/api/tasks", "{\"title\":\"Health\"}", "writer", workspace);
        assertThat(created.status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> centrifugo.publications().stream()
                .anyMatch(p -> p.channel().equals("views:" + seance)));

        Reply health = call("GET", "health/ready", null);
        JsonArray checks = health.body().getJsonArray("checks");
        assertThat(checks.getValuesAs(JsonObject.class))
                .filteredOn(c -> c.getString("name").equals("arcana-centrifugo"))
                .anySatisfy(c -> {
                    assertThat(c.getString("status")).isEqualTo("UP");
                    assertThat(c.getJsonObject("data").getBoolean("selected")).isTrue();
                    assertThat(c.getJsonObject("data").getString("state")).isEqualTo("up");
                })
                .anySatisfy(c -> assertThat(c.getJsonObject("data").getBoolean("selected")).isFalse());
    }

    private static void patch(String app, String id, String body, String workspace) {
        Reply reply = call("PATCH", app + "/api/tasks/" + id, body, "writer", workspace);
        assertThat(reply.status()).as("PATCH %s on /%s: %s", body, app, reply.body()).isEqualTo(200);
    }

    /**
     * Waits until more than {@code before} pushes arrived and no new one came for 500 ms: the
     * invalidation that a write started has been delivered completely.
     */
    private static void awaitSettled(java.util.function.Supplier<List<JsonObject>> pushes, int before) {
        int[] last = {-1};
        await().pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(15))
                .until(() -> {
                    int now = pushes.get().size();
                    boolean settled = now > before && now == last[0];
                    last[0] = now;
                    return settled;
                });
    }

    private static List<JsonObject> publicationData(String seance, String workspace) {
        return centrifugo.publications().stream()
                .filter(p -> p.channel().equals("views:" + seance) || p.channel().equals("workspace:" + workspace))
                .map(FakeCentrifugo.Publication::data).toList();
    }

    static JsonObject claims(String token) {
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(json)).readObject();
    }
}
