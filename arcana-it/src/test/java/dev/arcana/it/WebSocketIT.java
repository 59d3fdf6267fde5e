package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transport on Liberty, driven by a real client (the JDK's): subscribe, live frames
 * after writes through the example's API, reconnect + sync, isolation, auth, bad frames, and a
 * client that stops reading.
 */
@Tag(ExampleServer.PORTABLE)
class WebSocketIT {
    static final String SOCKET_BACKPRESSURE = "socket-backpressure";

    private static final Duration LIVE = Duration.ofSeconds(1);

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readObject();
    }

    private static JsonObject frame(String text) {
        return json(text);
    }

    /** A fresh workspace per test: tests make their own data and never see each other's. */
    private static String workspace() {
        return "ws-" + UUID.randomUUID();
    }

    private static JsonObject subscribeTasks(WsClient client) {
        JsonObject reply = client.request(frame("{'type':'subscribe','view':'task_list','params':{}}"));
        assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("snapshot");
        return reply;
    }

    private static String createTask(String seance, String workspace, String title) {
        Http.Reply reply = Http.call("POST", "/api/tasks", "{\"title\":\"" + title + "\"}",
                Http.as(seance, "ada", workspace));
        assertThat(reply.status()).as("create: %s", reply.body()).isEqualTo(201);
        return reply.body().getString("id");
    }

    @Test
    void writesThroughTheApiReachTheSubscriberAsExactFramesWithinASecond() {
        String ws = workspace();
        try (WsClient client = WsClient.connect(Http.wsUrl("s-" + UUID.randomUUID(), "ada", ws))) {
            JsonObject snapshot = subscribeTasks(client);
            assertThat(snapshot.getJsonArray("refs")).isEmpty();
            assertThat(snapshot.getInt("version")).isEqualTo(1);
            String hash = snapshot.getString("params_hash");

            String id = createTask("writer", ws, "First task");
            JsonObject viewDiff = client.await(f -> "view_diff".equals(f.getString("type", null)), LIVE);
            assertThat(viewDiff).isEqualTo(json("{'type':'view_diff','data':{'view':'task_list','params_hash':'" + hash
                    + "','version':2,'refs_patch':[{'op':'add','path':'/0','value':{'table':'tasks','id':'" + id
                    + "','fields':['id','title','done','assignee_id','position']}}],"
                    + "'tables':{'tasks':{'" + id + "':{'id':'" + id
                    + "','title':'First task','done':false,'assignee_id':null,'position':1}}},'total':1}}"));

            Http.Reply toggle = Http.call("PATCH", "/api/tasks/" + id, "{\"done\":true}", Http.as("writer", "ada", ws));
            assertThat(toggle.status()).isEqualTo(200);
            JsonObject tableDiff = client.await(f -> "table_diff".equals(f.getString("type", null)), LIVE);
            assertThat(tableDiff).isEqualTo(json("{'type':'table_diff','data':{'table':'tasks','id':'" + id
                    + "','ver':2,'patch':[{'op':'replace','path':'/done','value':true}]}}"));
            assertThat(client.drain()).as("no view_diff: refs and total did not change").isEmpty();
        }
    }

    @Test
    void reconnectWithinTheGracePeriodCatchesUpWithSync() {
        String ws = workspace();
        String seance = "s-" + UUID.randomUUID();
        String hash;
        probe(ws);
        try (WsClient first = WsClient.connect(Http.wsUrl(seance, "ada", ws))) {
            hash = subscribeTasks(first).getString("params_hash");
        }
        String id = createTask("writer", ws, "Made while away");
        awaitProcessed(ws, 2);
        try (WsClient again = WsClient.connect(Http.wsUrl(seance, "ada", ws))) {
            JsonObject reply = again.request(frame("{'type':'sync','views':[{'view':'task_list','params_hash':'"
                    + hash + "','version':1}]}"));
            assertThat(reply.getString("type")).isEqualTo("sync_result");
            JsonObject entry = reply.getJsonArray("views").getJsonObject(0);
            assertThat(entry.getString("mode")).isEqualTo("catch_up");
            assertThat(entry.getInt("version")).isEqualTo(2);
            assertThat(entry.getJsonArray("patches")).hasSize(1);
            assertThat(entry.getJsonObject("tables").getJsonObject("tasks").getJsonObject(id).getString("title"))
                    .isEqualTo("Made while away");
        }
    }

    /**
     * Waits until the engine has handled the workspace's writes: a probe subscription (made over HTTP
     * before the writes by {@link #probe}) reaches the given version.
     */
    private static void awaitProcessed(String workspace, int version) {
        org.awaitility.Awaitility.await("task_list of " + workspace + " at version " + version)
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> Http.call("GET", "/arcana/active", null, Http.as("probe-" + workspace, "ada", workspace))
                        .body().getJsonArray("data").stream()
                        .anyMatch(v -> v.asJsonObject().getInt("version") >= version));
    }

    private static void probe(String workspace) {
        Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\"}", Http.as("probe-" + workspace, "ada", workspace));
    }

    @Test
    void noFrameOfOneWorkspaceReachesAnother() {
        String acme = workspace();
        String globex = workspace();
        try (WsClient inAcme = WsClient.connect(Http.wsUrl("a-" + UUID.randomUUID(), "ada", acme));
             WsClient inGlobex = WsClient.connect(Http.wsUrl("g-" + UUID.randomUUID(), "hank", globex))) {
            subscribeTasks(inAcme);
            subscribeTasks(inGlobex);
            String id = createTask("writer", acme, "Only for acme");
            inAcme.await(f -> "view_diff".equals(f.getString("type", null)), LIVE);
            Http.call("PATCH", "/api/tasks/" + id, "{\"title\":\"Still only acme\"}", Http.as("writer", "ada", acme));
            inAcme.await(f -> "table_diff".equals(f.getString("type", null)), LIVE);

            assertThat(inGlobex.drain()).isEmpty();
        }
    }

    @Test
    void handshakeWithoutIdentityIsClosedWith1008() {
        String url = ExampleServer.BASE_URL.toString().replaceFirst("^http", "ws") + "/arcana/ws";
        try (WsClient anonymous = WsClient.connect(url)) {
            anonymous.send(frame("{'type':'subscribe','view':'task_list'}"));
            assertThat(anonymous.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
        }
    }

    @Test
    void invalidFramesAreAnsweredWithTheirCodes() {
        try (WsClient client = WsClient.connect(Http.wsUrl("s-" + UUID.randomUUID(), "ada", workspace()))) {
            client.sendRaw("{not json");
            assertThat(client.await(f -> "error".equals(f.getString("type", null)), LIVE).getString("code"))
                    .isEqualTo("bad_request");

            assertThat(client.request(frame("{'type':'teleport'}")).getString("code")).isEqualTo("bad_request");
            assertThat(client.request(frame("{'type':'subscribe','view':'nope'}")).getString("code"))
                    .isEqualTo("not_found");
            JsonObject invalid = client.request(frame("{'type':'subscribe','view':'user_list','params':{'org_id':'x'}}"));
            assertThat(invalid.getString("code")).isEqualTo("invalid_params");
            assertThat(invalid.getString("message")).isEqualTo("param 'org_id' must be a UUID, got \"x\"");
            assertThat(client.request(frame("{'type':'unsubscribe','view':'task_list','params_hash':'abc'}"))
                    .getString("code")).isEqualTo("not_found");
            client.send(Json.createObjectBuilder().add("type", "ping").add("pad", "x".repeat(70_000)).build());
            JsonObject tooLarge = client.await(f -> "error".equals(f.getString("type", null)), LIVE);
            assertThat(tooLarge.getString("code")).isEqualTo("too_large");
            assertThat(client.request(frame("{'type':'ping'}")).getString("type")).isEqualTo("pong");
        }
    }

    /**
     * Relies on the container completing an asynchronous send only once the bytes are in the socket: then a client
     * that stops reading makes the connection's bounded queue overflow. Payara Micro (Grizzly) completes WebSocket
     * sends as soon as they are queued in its own write queue, unbounded for WebSocket (Grizzly issue 1841), so
     * nothing overflows there and nothing is shed — seen with 16 MB and with 40 MB of backlog: its module excludes
     * this tag (README, "Deploy on Payara").
     */
    @Test
    @Tag(SOCKET_BACKPRESSURE)
    void clientThatStopsReadingIsShedWithResyncWithoutDelayingOthers() {
        String ws = workspace();
        String title = "t".repeat(200);
        for (int i = 0; i < 100; i++) {
            createTask("writer", ws, title);
        }
        try (WsClient healthy = WsClient.connect(Http.wsUrl("h-" + UUID.randomUUID(), "ada", ws));
             WsClient slow = WsClient.connect(Http.wsUrl("s-" + UUID.randomUUID(), "ada", ws), false)) {
            subscribeTasks(healthy);
            slow.send(frame("{'type':'subscribe','view':'task_list','params':{}}"));
            // The slow client reads nothing: huge sync replies (every entry a snapshot of ~40 KB) fills the
            // socket buffers, then small replies pile up in its bounded queue until it overflows.
            String snapshotHash = Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\"}",
                    Http.as("probe", "ada", ws)).body().getJsonObject("data").getString("params_hash");
            // four syncs of 100 views each (a sync carries at most arcana.max-sync-views = 100)
            for (int sync = 0; sync < 4; sync++) {
                JsonArrayBuilder views = Json.createArrayBuilder();
                for (int i = 0; i < 100; i++) {
                    views.add(Json.createObjectBuilder().add("view", "task_list").add("params_hash", snapshotHash)
                            .add("version", 0).add("params", Json.createObjectBuilder()));
                }
                slow.send(Json.createObjectBuilder().add("type", "sync").add("views", views).build());
            }
            // The server may shed the connection before all pings are out: stop sending then.
            for (int i = 0; i < 1_500 && slow.isOpenForSending(); i++) {
                slow.trySend(frame("{'type':'ping'}"));
            }

            createTask("writer", ws, "Still live for the others");
            JsonObject diff = healthy.await(f -> "view_diff".equals(f.getString("type", null)), LIVE);
            assertThat(diff.getJsonObject("data").getInt("total")).as("the 101st task, beyond the limit").isEqualTo(101);

            slow.read(Long.MAX_VALUE);
            assertThat(slow.awaitClose(Duration.ofSeconds(60))).isEqualTo(1013);
            List<JsonObject> received = slow.received();
            assertThat(received).anySatisfy(f -> assertThat(f.toString()).contains("\"resync\"").contains("slow_consumer"));
        }
    }
}
