package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caps on what clients may make the server hold, on server B, which runs small caps (arcana-it
 * pom: 150 subscriptions and 16 seances per user and workspace, 200 instances per workspace; the
 * per-seance cap and with it the views per sync stay at 100). Each refusal is a 429 with its own
 * code at the limit + 1, and the server goes on serving everyone else.
 */
class ClientCapsIT {
    private static final URI SERVER_B = URI.create(System.getProperty("arcana.it.b.baseUrl", "http://localhost:9181"));
    private static final int SUBSCRIPTIONS_PER_IDENTITY = 150;
    private static final int SEANCES_PER_IDENTITY = 16;
    private static final int INSTANCES_PER_WORKSPACE = 200;
    private static final int SYNC_VIEWS = 100;

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
        await().atMost(Duration.ofSeconds(60)).until(() -> health().getBoolean("running", false));
    }

    private static JsonObject health() {
        Http.Reply reply = Http.callAt(SERVER_B, "GET", "/arcana/health", null,
                Http.as("health-" + UUID.randomUUID(), "probe", "probe"));
        return reply.body().getJsonObject("data");
    }

    /** A distinct task_list instance per n in [0, 300): limit 1..100 times done absent/true/false. */
    private static String params(int n) {
        String done = switch (n / 100) {
            case 0 -> "";
            case 1 -> ",\"done\":true";
            default -> ",\"done\":false";
        };
        return "{\"view\":\"task_list\",\"params\":{\"limit\":" + (n % 100 + 1) + done + "}}";
    }

    private static Http.Reply subscribe(String seance, String user, String workspace, int n) {
        return Http.callAt(SERVER_B, "POST", "/arcana/subscribe", params(n), Http.as(seance, user, workspace));
    }

    private static void assertRefused(Http.Reply reply, String code) {
        assertThat(reply.status()).as("reply %s", reply.body()).isEqualTo(429);
        assertThat(reply.body().getString("code")).isEqualTo(code);
    }

    @Test
    void tenSeancesTimesHundredParamsFromOneIdentityStopAtItsCapAndAChangeCostsNoMoreRuns() {
        String workspace = "caps-" + UUID.randomUUID();
        int held = 0;
        int refused = 0;
        // seance by seance in turn: each calls every few ms, well inside server B's 3 s idle TTL; every call
        // asks for another user_list instance (a distinct org_id)
        for (int i = 0; i < 100; i++) {
            for (int seance = 0; seance < 10; seance++) {
                String org = UUID.nameUUIDFromBytes((workspace + "/" + seance + "/" + i).getBytes()).toString();
                Http.Reply reply = Http.callAt(SERVER_B, "POST", "/arcana/subscribe",
                        "{\"view\":\"user_list\",\"params\":{\"org_id\":\"" + org + "\"}}",
                        Http.as("s" + seance + "-" + workspace, "user-a", workspace));
                if (reply.status() == 200) {
                    held++;
                } else {
                    assertRefused(reply, "too_many_subscriptions");
                    refused++;
                }
            }
        }
        assertThat(held).isEqualTo(SUBSCRIPTIONS_PER_IDENTITY);
        assertThat(refused).isEqualTo(1000 - SUBSCRIPTIONS_PER_IDENTITY);
        long before = health().getJsonNumber("factory_runs").longValue();

        // one change to the workspace's users re-runs each of its 150 instances once: not 1,000
        Database.transaction("insert into users (id, workspace_id, org_id, name, email, role) values ('"
                + UUID.randomUUID() + "', '" + workspace + "', '" + UUID.randomUUID() + "', 'New', 'new@x', 'member')");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> health().getJsonNumber("factory_runs").longValue() - before >= SUBSCRIPTIONS_PER_IDENTITY);
        assertThat(health().getJsonNumber("factory_runs").longValue() - before)
                .as("other test classes are idle; a few stray runs at most").isBetween((long) SUBSCRIPTIONS_PER_IDENTITY,
                        SUBSCRIPTIONS_PER_IDENTITY + 5L);
        assertThat(subscribe("other-" + workspace, "user-b", workspace, 0).status()).isEqualTo(200);
    }

    @Test
    void theSeventeenthSeanceOfOneIdentityIsRefusedOverHttpAndWebSocket() {
        String workspace = "caps-" + UUID.randomUUID();
        for (int seance = 0; seance < SEANCES_PER_IDENTITY; seance++) {
            assertThat(subscribe("s" + seance + "-" + workspace, "user-a", workspace, 0).status()).isEqualTo(200);
        }
        assertRefused(subscribe("s-extra-" + workspace, "user-a", workspace, 0), "too_many_seances");
        String wsUrl = Http.wsUrl("s-extra-" + workspace, "user-a", workspace)
                .replace(ExampleServer.BASE_URL.getAuthority(), SERVER_B.getAuthority());
        try (WsClient extra = WsClient.connect(wsUrl)) {
            assertThat(extra.awaitClose(Duration.ofSeconds(5))).isEqualTo(1008);
        }
        assertThat(subscribe("s-other-" + workspace, "user-b", workspace, 0).status()).isEqualTo(200);
    }

    @Test
    void theInstanceAfterTheWorkspacesLimitIsRefusedWhileSharedOnesStillServe() {
        String workspace = "caps-" + UUID.randomUUID();
        for (int n = 0; n < INSTANCES_PER_WORKSPACE; n++) {
            String user = "user-" + n % 2; // two users of 100 each stay under their own caps, in turn
            assertThat(subscribe("s" + n % 2 + "-" + workspace, user, workspace, n).status()).isEqualTo(200);
        }
        assertRefused(subscribe("s-late-" + workspace, "user-0", workspace, 250), "too_many_instances");
        // an existing instance of the same user is shared; another workspace has its own budget
        assertThat(subscribe("s-late-" + workspace, "user-0", workspace, 4).status()).isEqualTo(200);
        assertThat(subscribe("s-late-" + workspace, "user-0", "caps-" + UUID.randomUUID(), 250).status())
                .as("a seance never changes workspace").isEqualTo(403);
        assertThat(subscribe("s-away-" + workspace, "user-0", "caps-" + UUID.randomUUID(), 250).status())
                .isEqualTo(200);
    }

    @Test
    void aSyncWithMoreViewsThanASeanceMayHoldIsRefused() {
        String workspace = "caps-" + UUID.randomUUID();
        StringBuilder views = new StringBuilder();
        for (int i = 0; i <= SYNC_VIEWS; i++) {
            views.append(i == 0 ? "" : ",").append("{\"view\":\"task_list\",\"params_hash\":\"h").append(i)
                    .append("\",\"version\":0}");
        }
        Http.Reply reply = Http.callAt(SERVER_B, "POST", "/arcana/sync", "{\"views\":[" + views + "]}",
                Http.as("s-" + workspace, "user-a", workspace));
        assertRefused(reply, "too_many_views");
    }
}
