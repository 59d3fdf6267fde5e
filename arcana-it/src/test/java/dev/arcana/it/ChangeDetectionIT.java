package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Change detection: writes made with plain SQL on a separate connection reach WebSocket clients, on
 * server A (trigger mode) and on server B (WAL mode, same database), both running the example app.
 * Each test uses fresh workspaces. {@code arcana.it.detectors} names the servers a module runs
 * ({@code notify,wal} by default; the Payara and WildFly modules run A only).
 */
@Tag(ExampleServer.PORTABLE)
class ChangeDetectionIT {
    static final Duration LIVE = Duration.ofSeconds(1);

    /** The two app instances of this module, one per detector. */
    enum Server {
        TRIGGERS(ExampleServer.BASE_URL, "notify", "arcana-listener"),
        WAL(URI.create(System.getProperty("arcana.it.b.baseUrl", "http://localhost:9181")), "wal", "arcana-wal");

        final URI base;
        final String mode;
        final String backend;

        Server(URI base, String mode, String backend) {
            this.base = base;
            this.mode = mode;
            this.backend = backend;
        }

        WsClient connect(String workspace) {
            return WsClient.connect(base.toString().replaceFirst("^http", "ws") + "/arcana/ws?seance=s-"
                    + UUID.randomUUID() + "&user=ada&workspace=" + workspace);
        }

        JsonObject health() {
            try {
                HttpResponse<String> response = ExampleServer.http().send(HttpRequest.newBuilder(
                                base.resolve("/arcana/health")).header("X-Seance-ID", "health").header("X-User-ID", "ada")
                        .header("X-Workspace-ID", "health").timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return ExampleServer.json(response.body()).getJsonObject("data");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        long factoryRuns() {
            return health().getJsonNumber("factory_runs").longValue();
        }

        void awaitDetectorUp() {
            await(name() + " detector up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> "up".equals(health().getJsonObject("detector").getString("state")));
        }
    }

    /** The servers of this module, from {@code arcana.it.detectors}. */
    static List<Server> servers() {
        Set<String> modes = Set.of(System.getProperty("arcana.it.detectors", "notify,wal").split(","));
        List<Server> servers = java.util.Arrays.stream(Server.values()).filter(s -> modes.contains(s.mode)).toList();
        assertThat(servers).as("arcana.it.detectors names notify and/or wal").isNotEmpty();
        return servers;
    }

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
        for (Server server : servers()) {
            server.awaitDetectorUp();
            assertThat(server.health().getJsonObject("detector").getString("mode")).isEqualTo(server.mode);
        }
    }

    static String workspace() {
        return "ws-" + UUID.randomUUID();
    }

    static JsonObject subscribeTasks(WsClient client) {
        JsonObject reply = client.request(Json.createObjectBuilder().add("type", "subscribe").add("view", "task_list")
                .add("params", JsonValue.EMPTY_JSON_OBJECT).build());
        assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("snapshot");
        return reply;
    }

    static JsonObject next(WsClient client, String type) {
        return client.await(frame -> type.equals(frame.getString("type", null)), LIVE);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void insertUpdateAndDeleteWithPlainSqlReachTheSubscriberAsFrames(Server server) {
        String ws = workspace();
        String id = UUID.randomUUID().toString();
        try (WsClient client = server.connect(ws)) {
            String hash = subscribeTasks(client).getString("params_hash");

            Database.transaction(Database.insertTask(id, ws, "Written with SQL", 1));
            JsonObject added = next(client, "view_diff").getJsonObject("data");
            assertThat(added.getString("params_hash")).isEqualTo(hash);
            assertThat(added.getInt("version")).isEqualTo(2);
            assertThat(added.getJsonArray("refs_patch").getJsonObject(0).getString("op")).isEqualTo("add");
            assertThat(added.getJsonObject("tables").getJsonObject("tasks").getJsonObject(id).getString("title"))
                    .isEqualTo("Written with SQL");

            Database.transaction("update tasks set title = 'Renamed with SQL' where id = '" + id + "'");
            assertThat(next(client, "table_diff")).isEqualTo(Json.createReader(new java.io.StringReader(
                    ("{'type':'table_diff','data':{'table':'tasks','id':'" + id + "','ver':2,'patch':[{'op':'replace',"
                            + "'path':'/title','value':'Renamed with SQL'}]}}").replace('\'', '"'))).readObject());

            Database.transaction("delete from tasks where id = '" + id + "'");
            JsonObject removed = next(client, "view_diff").getJsonObject("data");
            assertThat(removed.getInt("version")).isEqualTo(3);
            assertThat(removed.getJsonArray("refs_patch").getJsonObject(0).getString("op")).isEqualTo("remove");
            assertThat(removed.getInt("total")).isZero();
            JsonObject gone = next(client, "table_diff").getJsonObject("data");
            assertThat(gone.getString("id")).isEqualTo(id);
            assertThat(gone.getBoolean("deleted")).isTrue();
        }
        JsonObject hops = server.health().getJsonObject("run_hops");
        assertThat(hops.keySet()).as("the engine's hops, then the WebSocket transport's")
                .containsExactly("waited", "run", "pushed", "total", "written");
        JsonObject written = hops.getJsonObject("written");
        assertThat(written.getJsonNumber("count").longValue())
                .as("the pushes above were written to this client's socket").isGreaterThanOrEqualTo(4);
        assertThat(written.getJsonArray("buckets_us").stream()
                .mapToLong(bucket -> bucket.asJsonArray().getJsonNumber(1).longValue()).sum())
                .as("the buckets hold every count").isEqualTo(written.getJsonNumber("count").longValue());
    }

    @ParameterizedTest
    @MethodSource("servers")
    void anUntrackedColumnRunsNoFactoryAndAnotherWorkspaceSeesNothing(Server server) {
        String ws = workspace();
        String other = workspace();
        String id = UUID.randomUUID().toString();
        Database.transaction(Database.insertTask(id, ws, "Watched", 1));
        try (WsClient watcher = server.connect(ws); WsClient bystander = server.connect(other)) {
            subscribeTasks(watcher);
            subscribeTasks(bystander);
            long runs = server.factoryRuns();

            Database.transaction("update tasks set updated_at = now() + interval '1 day' where id = '" + id + "'");
            // a tracked change in the other workspace, committed later: once its frame is here, the first was handled
            Database.transaction(Database.insertTask(UUID.randomUUID().toString(), other, "Barrier", 1));
            next(bystander, "view_diff");

            await("factory runs stay at one (the barrier's)").during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> server.factoryRuns() == runs + 1);
            assertThat(watcher.drain()).as("the watched workspace got nothing").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void aHundredRowTransactionArrivesAsOneCoherentDiff(Server server) {
        String ws = workspace();
        try (WsClient client = server.connect(ws)) {
            subscribeTasks(client);
            List<String> statements = new ArrayList<>();
            Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < 100; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                statements.add(Database.insertTask(id, ws, "Bulk " + i, i));
            }
            Database.transaction(statements.toArray(String[]::new));

            JsonObject diff = next(client, "view_diff").getJsonObject("data");
            Set<String> added = diff.getJsonArray("refs_patch").stream().map(JsonValue::asJsonObject)
                    .filter(op -> "add".equals(op.getString("op")))
                    .map(op -> op.getJsonObject("value").getString("id")).collect(Collectors.toSet());
            assertThat(added).as("the first diff carries the whole transaction").isEqualTo(ids);
            assertThat(diff.getInt("total")).isEqualTo(100);
            assertThat(client.drain()).as("nothing after it").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void theDetectorsBackendKilledLosesNoCommit(Server server) {
        String ws = workspace();
        try (WsClient client = server.connect(ws)) {
            subscribeTasks(client);
            long killed = Database.queryLong("select count(pg_terminate_backend(pid)) from pg_stat_activity "
                    + "where application_name = '" + server.backend + "'");
            assertThat(killed).as("backends named %s", server.backend).isGreaterThanOrEqualTo(1);
            String during = UUID.randomUUID().toString();
            Database.transaction(Database.insertTask(during, ws, "While reconnecting", 1));

            JsonObject diff = client.await(frame -> "view_diff".equals(frame.getString("type", null)),
                    Duration.ofSeconds(10)).getJsonObject("data");
            assertThat(diff.getJsonObject("tables").getJsonObject("tasks").containsKey(during)).isTrue();
            server.awaitDetectorUp();
            String after = UUID.randomUUID().toString();
            Database.transaction(Database.insertTask(after, ws, "After", 2));
            assertThat(next(client, "view_diff").getJsonObject("data").getJsonObject("tables")
                    .getJsonObject("tasks").containsKey(after)).isTrue();
        }
    }

    /**
     * Many writes in a row, each awaited before the next: every one must arrive. (In WAL mode this
     * caught views re-run in the moment between a commit reaching the WAL and becoming visible.)
     */
    @ParameterizedTest
    @MethodSource("servers")
    void everyOneOfManyQuickWritesArrives(Server server) {
        String ws = workspace();
        try (WsClient client = server.connect(ws)) {
            client.request(Json.createObjectBuilder().add("type", "subscribe").add("view", "task_list")
                    .add("params", Json.createObjectBuilder().add("limit", 1000)).build());
            for (int i = 0; i < 30; i++) {
                String id = UUID.randomUUID().toString();
                Database.transaction(Database.insertTask(id, ws, "Quick " + i, i));
                assertThat(next(client, "view_diff").getJsonObject("data").getJsonObject("tables")
                        .getJsonObject("tasks").containsKey(id)).as("insert %s", i).isTrue();
                Database.transaction("update tasks set title = 'Updated " + i + "' where id = '" + id + "'");
                assertThat(next(client, "table_diff").getJsonObject("data").getString("id")).as("update %s", i)
                        .isEqualTo(id);
            }
        }
    }
}
