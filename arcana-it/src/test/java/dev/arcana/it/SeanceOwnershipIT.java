package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 12 against the example on Liberty, now refused: a seance id used by another
 * user, by another workspace, or by the same user in another workspace, over HTTP and over the
 * WebSocket, with and without the owner's live socket. The owner's subscriptions and frames are
 * untouched.
 */
@Tag(ExampleServer.PORTABLE)
class SeanceOwnershipIT {
    private static final Duration LIVE = Duration.ofSeconds(1);

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
    }

    private record Victim(String seance, String workspace, String paramsHash) {
        String[] headers() {
            return Http.as(seance, "user-a", workspace);
        }
    }

    /** user-a's seance in a fresh workspace, subscribed to task_list over HTTP. */
    private static Victim victim() {
        String seance = "s-victim-" + UUID.randomUUID();
        String workspace = "acme-" + UUID.randomUUID();
        Http.Reply subscribed = Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{\"limit\":7}}",
                Http.as(seance, "user-a", workspace));
        assertThat(subscribed.status()).as("subscribe: %s", subscribed.body()).isEqualTo(200);
        return new Victim(seance, workspace, subscribed.body().getJsonObject("data").getString("params_hash"));
    }

    private static List<String[]> intrudersOf(Victim victim) {
        return List.of(
                Http.as(victim.seance(), "user-b", "globex-" + UUID.randomUUID()), // another user elsewhere
                Http.as(victim.seance(), "user-b", victim.workspace()),           // another user, same workspace
                Http.as(victim.seance(), "user-a", "globex-" + UUID.randomUUID())); // same user, other workspace
    }

    private static void assertForbidden(Http.Reply reply) {
        assertThat(reply.status()).as("reply %s", reply.body()).isEqualTo(403);
        assertThat(reply.body().getString("code")).isEqualTo("forbidden");
        assertThat(reply.body().toString()).doesNotContain("user-a").doesNotContain("acme");
    }

    @Test
    void everyHttpEndpointRefusesAnotherIdentitysSeanceAndLeavesTheOwnersSubscriptionAlone() {
        Victim victim = victim();
        for (String[] intruder : intrudersOf(victim)) {
            assertForbidden(Http.call("GET", "/arcana/active", null, intruder));
            assertForbidden(Http.call("POST", "/arcana/sync", "{\"views\":[{\"view\":\"task_list\",\"params_hash\":\""
                    + victim.paramsHash() + "\",\"version\":0}]}", intruder));
            assertForbidden(Http.call("POST", "/arcana/unsubscribe", "{\"view\":\"task_list\",\"params_hash\":\""
                    + victim.paramsHash() + "\"}", intruder));
            assertForbidden(Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{\"limit\":3}}",
                    intruder));
        }

        Http.Reply active = Http.call("GET", "/arcana/active", null, victim.headers());
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.body().getJsonArray("data")).hasSize(1);
        assertThat(active.body().getJsonArray("data").getJsonObject(0).getString("params_hash"))
                .isEqualTo(victim.paramsHash());
    }

    @Test
    void aForeignSubscribeIntoALiveSeancePushesNothingToTheOwnersSocket() {
        String seance = "s-live-" + UUID.randomUUID();
        String workspace = "acme-" + UUID.randomUUID();
        try (WsClient owner = WsClient.connect(Http.wsUrl(seance, "user-a", workspace))) {
            JsonObject snapshot = owner.request(ExampleServer.json(
                    "{\"type\":\"subscribe\",\"view\":\"task_list\",\"params\":{}}"));
            assertThat(snapshot.getString("type")).isEqualTo("snapshot");

            String globex = "globex-" + UUID.randomUUID();
            Http.Reply created = Http.call("POST", "/api/tasks", "{\"title\":\"globex secret\"}",
                    Http.as("writer-" + UUID.randomUUID(), "user-b", globex));
            assertThat(created.status()).isEqualTo(201);
            assertForbidden(Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{\"limit\":5}}",
                    Http.as(seance, "user-b", globex)));

            // the owner still gets its own workspace's changes, and nothing of globex
            Http.Reply own = Http.call("POST", "/api/tasks", "{\"title\":\"acme task\"}",
                    Http.as("writer-" + UUID.randomUUID(), "user-a", workspace));
            assertThat(own.status()).isEqualTo(201);
            owner.await(f -> "view_diff".equals(f.getString("type", null)), LIVE);
            assertThat(owner.received()).extracting(JsonObject::toString).noneMatch(f -> f.contains("globex"));
        }
    }

    @Test
    void aWebSocketOfAnotherIdentityOnAnHttpOnlySeanceIsClosedWith1008AndReceivesNothing() {
        Victim victim = victim();
        try (WsClient intruder = WsClient.connect(Http.wsUrl(victim.seance(), "user-b", "globex-" + UUID.randomUUID()))) {
            assertThat(intruder.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
            assertThat(intruder.received()).isEmpty();
        }
        try (WsClient sameUserElsewhere = WsClient.connect(Http.wsUrl(victim.seance(), "user-a",
                "globex-" + UUID.randomUUID()))) {
            assertThat(sameUserElsewhere.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
        }
        assertThat(Http.call("GET", "/arcana/active", null, victim.headers()).body().getJsonArray("data")).hasSize(1);
    }

    @Test
    void aWebSocketOfAnotherIdentityIsRefusedWhileTheOwnerIsConnectedAndTheOwnerKeepsItsFrames() {
        String seance = "s-ws-" + UUID.randomUUID();
        String workspace = "acme-" + UUID.randomUUID();
        try (WsClient owner = WsClient.connect(Http.wsUrl(seance, "user-a", workspace))) {
            JsonObject snapshot = owner.request(ExampleServer.json(
                    "{\"type\":\"subscribe\",\"view\":\"task_list\",\"params\":{}}"));
            assertThat(snapshot.getString("type")).isEqualTo("snapshot");
            try (WsClient intruder = WsClient.connect(Http.wsUrl(seance, "user-b", workspace))) {
                assertThat(intruder.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
            }
            // the owner's connection is intact: its frames still answer and its view stays live
            JsonObject pong = owner.request(ExampleServer.json("{\"type\":\"ping\"}"));
            assertThat(pong.getString("type")).isEqualTo("pong");
            Http.Reply own = Http.call("POST", "/api/tasks", "{\"title\":\"still live\"}",
                    Http.as("writer-" + UUID.randomUUID(), "user-a", workspace));
            assertThat(own.status()).isEqualTo(201);
            assertThat(owner.await(f -> "view_diff".equals(f.getString("type", null)), LIVE).toString())
                    .contains("still live");
        }
    }

    @Test
    void anEmptySeanceOfAConnectedOwnerIsStillRefusedToOthers() {
        String seance = "s-empty-" + UUID.randomUUID();
        String workspace = "acme-" + UUID.randomUUID();
        try (WsClient owner = WsClient.connect(Http.wsUrl(seance, "user-a", workspace))) {
            assertThat(owner.request(ExampleServer.json("{\"type\":\"ping\"}")).getString("type")).isEqualTo("pong");
            assertForbidden(Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                    Http.as(seance, "user-b", "globex-" + UUID.randomUUID())));
        }
    }
}
