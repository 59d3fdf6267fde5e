package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutations held inside their handlers, deterministically: the test holds the example's
 * per-workspace title lock in the database, so add_task mutations wait for it. With the seance's
 * first {@code arcana.mutation.max-in-flight} (4) waiting, the fifth is refused unrun, and may be
 * retried with the same mutation id once the others are done; over WebSocket, a waiting mutation
 * does not hold back the pushes of its connection. Liberty only (it reaches into the IT server's
 * database).
 */
class MutationInFlightIT {
    private static final int MAX_IN_FLIGHT = 4;

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
    }

    private static HttpRequest mutate(String[] identity, String title, String mutationId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(ExampleServer.uri("/arcana/mutate"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"add_task\",\"params\":{\"title\":\"" + title
                        + "\"},\"mutation_id\":\"" + mutationId + "\"}"));
        for (int i = 0; i + 1 < identity.length; i += 2) {
            request.header(identity[i], identity[i + 1]);
        }
        return request.build();
    }

    /** Takes the example's title lock of the workspace in {@code lock}'s transaction. */
    private static void holdTitles(Connection lock, String workspace) throws SQLException {
        lock.setAutoCommit(false);
        try (PreparedStatement titles = lock.prepareStatement(
                "select pg_advisory_xact_lock(hashtext('example.task-titles:' || ?))")) {
            titles.setString(1, workspace);
            titles.execute();
        }
    }

    private static long waitingForAdvisoryLocks() {
        return Database.queryLong("select count(*) from pg_locks where locktype = 'advisory' and not granted");
    }

    @Test
    void aSeanceWithFourMutationsRunningIsRefusedAFifthUntilOneEnds() throws Exception {
        String workspace = "inflight-" + UUID.randomUUID();
        String[] identity = Http.as("inflight-" + UUID.randomUUID(), "ada", workspace);
        long waitingBefore = waitingForAdvisoryLocks();
        List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        try (Connection lock = Database.connect()) {
            holdTitles(lock, workspace);
            for (int i = 0; i < MAX_IN_FLIGHT; i++) {
                running.add(ExampleServer.http().sendAsync(mutate(identity, "Task " + i, "held-" + i),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await("the four mutations waiting for the title lock").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> waitingForAdvisoryLocks() - waitingBefore >= MAX_IN_FLIGHT);

            HttpResponse<String> fifth = ExampleServer.http().send(mutate(identity, "Task 4", "fifth"),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(fifth.statusCode()).as("fifth: %s", fifth.body()).isEqualTo(429);
            assertThat(ExampleServer.json(fifth.body()).getString("code")).isEqualTo("too_many_requests");
            lock.rollback(); // releases the title lock
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        for (CompletableFuture<HttpResponse<String>> each : running) {
            HttpResponse<String> response = each.get();
            assertThat(response.statusCode()).as("held: %s", response.body()).isEqualTo(200);
        }

        HttpResponse<String> retried = ExampleServer.http().send(mutate(identity, "Task 4", "fifth"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(retried.statusCode()).as("retried: %s", retried.body()).isEqualTo(200);
        assertThat(ExampleServer.json(retried.body()).getBoolean("replayed")).as("the refusal left nothing behind").isFalse();
        assertThat(Database.queryLong("select count(*) from tasks where workspace_id = '" + workspace + "'")).isEqualTo(5);
    }

    @Test
    void pushesReachAWebSocketWhileItsOwnMutationWaitsAndItsReplyFollowsThem() throws Exception {
        String workspace = "inflight-ws-" + UUID.randomUUID();
        String[] colleague = Http.as("colleague-" + UUID.randomUUID(), "bob", workspace);
        HttpResponse<String> created = ExampleServer.http().send(mutate(colleague, "Existing", "made"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(200);
        String existing = ExampleServer.json(created.body()).getJsonObject("data").getString("id");
        try (WsClient actor = WsClient.connect(Http.wsUrl("actor-" + UUID.randomUUID(), "ada", workspace))) {
            JsonObject snapshot = actor.request(Json.createObjectBuilder().add("type", "subscribe")
                    .add("view", "task_list").add("params", JsonValue.EMPTY_JSON_OBJECT).build());
            assertThat(snapshot.getString("type")).as("%s", snapshot).isEqualTo("snapshot");
            long waitingBefore = waitingForAdvisoryLocks();
            String held;
            try (Connection lock = Database.connect()) {
                holdTitles(lock, workspace);
                held = actor.send(Json.createObjectBuilder().add("type", "mutate").add("action", "add_task")
                        .add("params", Json.createObjectBuilder().add("title", "Held")).build());
                await("the actor's add_task waiting for the title lock").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> waitingForAdvisoryLocks() - waitingBefore >= 1);

                // toggle_task takes no title lock: the colleague's change commits while the actor's waits
                HttpRequest toggle = HttpRequest.newBuilder(ExampleServer.uri("/arcana/mutate"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .headers(colleague)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"toggle_task\",\"params\":{\"id\":\""
                                + existing + "\",\"done\":true}}"))
                        .build();
                assertThat(ExampleServer.http().send(toggle, HttpResponse.BodyHandlers.ofString()).statusCode())
                        .isEqualTo(200);
                JsonObject toggled = actor.await(f -> "table_diff".equals(f.getString("type", null))
                        && existing.equals(f.getJsonObject("data").getString("id")), Duration.ofSeconds(5));
                assertThat(toggled.getJsonObject("data").getJsonArray("patch"))
                        .contains(Json.createObjectBuilder().add("op", "replace").add("path", "/done")
                                .add("value", true).build());
                assertThat(actor.received()).as("the actor's mutation is still waiting")
                        .noneMatch(f -> held.equals(f.getString("reply_to", null)));
                lock.rollback(); // releases the title lock
            }
            JsonObject reply = actor.await(f -> held.equals(f.getString("reply_to", null)), Duration.ofSeconds(10));
            assertThat(reply.getString("type")).as("%s", reply).isEqualTo("mutate_ok");
        }
    }
}
