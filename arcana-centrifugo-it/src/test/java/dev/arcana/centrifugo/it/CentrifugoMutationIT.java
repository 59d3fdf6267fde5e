package dev.arcana.centrifugo.it;

import static dev.arcana.centrifugo.it.ExampleApps.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcana.centrifugo.FakeCentrifugo;
import dev.arcana.centrifugo.it.ExampleApps.Reply;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutations in Centrifugo mode: the client sends {@code POST {mount}/mutate} (Centrifugo carries only
 * pushes), and the mutation's diffs are published to the acting seance's and its workspace's
 * channels — the reply naming the view version that holds its effects — and to no other
 * workspace's. The example's mutations declare their changes, so the {@code /cf} app (explicit
 * detection) re-runs its views at commit.
 */
class CentrifugoMutationIT {
    private static final String SUBSCRIBE = "{\"view\":\"task_list\",\"params\":{}}";
    private static FakeCentrifugo centrifugo;

    @BeforeAll
    static void start() throws IOException {
        centrifugo = ExampleApps.centrifugo();
    }

    @Test
    void aMutationReachesItsSeanceAndWorkspaceThroughCentrifugoAndNoOtherWorkspace() {
        String workspace = "mut-" + UUID.randomUUID();
        String elsewhere = "mut-else-" + UUID.randomUUID();
        String actor = "actor-" + UUID.randomUUID();
        String colleague = "colleague-" + UUID.randomUUID();
        String stranger = "stranger-" + UUID.randomUUID();
        subscribe(actor, workspace);
        subscribe(colleague, workspace);
        subscribe(stranger, elsewhere);
        String id = UUID.randomUUID().toString();
        String add = "{\"action\":\"add_task\",\"params\":{\"id\":\"" + id + "\",\"title\":\"Via Centrifugo\"},"
                + "\"mutation_id\":\"cf-1\"}";

        Reply added = call("POST", "cf/arcana/mutate", add, actor, workspace);

        assertThat(added.status()).as("%s", added.body()).isEqualTo(200);
        assertThat(added.body().getBoolean("ok")).isTrue();
        assertThat(added.body().getJsonObject("data").getString("id")).isEqualTo(id);
        assertThat(added.body().getBoolean("replayed")).isFalse();
        JsonObject view = added.body().getJsonArray("views").getJsonObject(0);
        assertThat(view.getString("view")).isEqualTo("task_list");
        long version = view.getJsonNumber("version").longValue();
        // the version the reply names is published on the actor's channel, with the new row
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(viewDiffs(actor))
                .anySatisfy(diff -> {
                    assertThat(diff.getJsonNumber("version").longValue()).isEqualTo(version);
                    assertThat(diff.getString("params_hash")).isEqualTo(view.getString("params_hash"));
                    assertThat(diff.getJsonObject("tables").getJsonObject("tasks").containsKey(id)).isTrue();
                }));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(viewDiffs(colleague))
                .anySatisfy(diff -> assertThat(diff.toString()).contains(id)));

        Reply replayed = call("POST", "cf/arcana/mutate", add, actor, workspace);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.body().getBoolean("replayed")).isTrue();
        assertThat(replayed.body().getJsonObject("data")).isEqualTo(added.body().getJsonObject("data"));
        Reply tasks = call("POST", "cf/arcana/subscribe", SUBSCRIBE, actor, workspace);
        assertThat(tasks.body().getJsonObject("data").getJsonObject("tables").getJsonObject("tasks").keySet())
                .as("the retry ran nothing").containsExactly(id);

        // the stranger's channels carried nothing at all: its workspace saw no change
        assertThat(centrifugo.publications()).extracting(FakeCentrifugo.Publication::channel)
                .doesNotContain("views:" + stranger, "workspace:" + elsewhere);
    }

    @Test
    void mutationRequestsInCentrifugoModeAreRefusedWithTheirCodes() {
        String workspace = "mut-refused-" + UUID.randomUUID();
        String seance = "refused-" + UUID.randomUUID();
        subscribe(seance, workspace); // claims the seance for ada of this workspace
        String title = "Taken " + UUID.randomUUID();
        String first = "{\"action\":\"add_task\",\"params\":{\"title\":\"" + title + "\"}}";
        assertThat(call("POST", "cf/arcana/mutate", first, seance, workspace).status()).isEqualTo(200);

        assertRefused(call("POST", "cf/arcana/mutate", "{\"action\":\"add_task\",\"params\":{\"title\":\"x\"}}",
                seance, "mut-other-" + UUID.randomUUID()), 403, "forbidden"); // another identity's seance
        assertRefused(call("POST", "cf/arcana/mutate", "{\"action\":\"add_task\",\"params\":{\"title\":\"x\"}}"),
                401, "unauthorized");
        assertRefused(call("POST", "cf/arcana/mutate", "{\"action\":\"launch\"}", seance, workspace),
                404, "not_found");
        assertRefused(call("POST", "cf/arcana/mutate",
                "{\"action\":\"add_task\",\"params\":{\"title\":\"x\",\"rank\":1}}", seance, workspace),
                400, "invalid_params");
        assertRefused(call("POST", "cf/arcana/mutate", "{\"action\":\"add_task\",\"extra\":true}", seance, workspace),
                400, "bad_request");
        Reply conflict = call("POST", "cf/arcana/mutate",
                "{\"action\":\"add_task\",\"params\":{\"title\":\"" + title.toUpperCase() + "\"}}", seance, workspace);
        assertRefused(conflict, 409, "conflict");
        assertThat(conflict.body().getString("reason")).isEqualTo("title_taken");
    }

    private static void subscribe(String seance, String workspace) {
        Reply reply = call("POST", "cf/arcana/subscribe", SUBSCRIBE, seance, workspace);
        assertThat(reply.status()).as("subscribe: %s", reply.body()).isEqualTo(200);
    }

    private static List<JsonObject> viewDiffs(String seance) {
        return centrifugo.publications().stream()
                .filter(p -> p.channel().equals("views:" + seance))
                .map(FakeCentrifugo.Publication::data)
                .filter(data -> "view_diff".equals(data.getString("type", null)))
                .map(data -> data.getJsonObject("data"))
                .toList();
    }

    private static void assertRefused(Reply reply, int status, String code) {
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(status);
        assertThat(reply.body().getBoolean("ok")).isFalse();
        assertThat(reply.body().getString("code")).isEqualTo(code);
    }
}
