package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mutation contract (PROTOCOL.md, "Mutations") against the example's task mutations, over HTTP
 * and WebSocket: outcomes, every error code of the table with its exact message where Arcana writes
 * it, exactly-once retries, who sees a mutation, and the WebSocket ordering guarantee (a mutation's
 * diffs precede its {@code mutate_ok} on the acting connection). Each test works in workspaces of its
 * own. {@code too_many_requests} needs the database to hold mutations back: {@link MutationInFlightIT}.
 */
@Tag(ExampleServer.PORTABLE)
class MutationIT {
    private static final Duration LIVE = Duration.ofSeconds(5);
    private static final String BAD_MUTATION_ID = "'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -";

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
    }

    /** A seance of one user in one workspace. */
    private record Client(String seance, String user, String workspace) {
        static Client in(String workspace) {
            return new Client("mut-" + UUID.randomUUID(), "user-" + UUID.randomUUID().toString().substring(0, 8),
                    workspace);
        }

        String[] headers() {
            return Http.as(seance, user, workspace);
        }

        WsClient connect() {
            return WsClient.connect(Http.wsUrl(seance, user, workspace));
        }
    }

    private static String workspace() {
        return "mut-" + UUID.randomUUID();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readObject();
    }

    private static Http.Reply mutate(Client client, String body) {
        return Http.call("POST", "/arcana/mutate", body.replace('\'', '"'), client.headers());
    }

    /** A mutation that must succeed over HTTP; its reply body. */
    private static JsonObject ok(Client client, String body) {
        Http.Reply reply = mutate(client, body);
        assertThat(reply.status()).as("mutate %s: %s", body, reply.body()).isEqualTo(200);
        assertThat(reply.body().getBoolean("ok")).isTrue();
        return reply.body();
    }

    private static String addTask(Client client, String title) {
        return ok(client, "{'action':'add_task','params':{'title':'" + title + "'}}").getJsonObject("data").getString("id");
    }

    /** The workspace's tasks as the client's task_list snapshot holds them (id → row). */
    private static JsonObject tasks(Client client) {
        Http.Reply reply = Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                client.headers());
        assertThat(reply.status()).as("subscribe: %s", reply.body()).isEqualTo(200);
        JsonObject tables = reply.body().getJsonObject("data").getJsonObject("tables");
        return tables.containsKey("tasks") ? tables.getJsonObject("tasks") : JsonValue.EMPTY_JSON_OBJECT;
    }

    private static void assertError(Http.Reply reply, int status, String code, String message) {
        assertThat(reply.status()).as("reply %s", reply.body()).isEqualTo(status);
        assertThat(reply.body().getBoolean("ok")).isFalse();
        assertThat(reply.body().getString("code")).isEqualTo(code);
        if (message != null) {
            assertThat(reply.body().getString("error")).isEqualTo(message);
        }
        assertThat(reply.body().containsKey("reason")).as("reason only for conflict").isEqualTo("conflict".equals(code));
    }

    private static void assertErrorFrame(JsonObject frame, String code, String message) {
        assertThat(frame.getString("type")).as("frame %s", frame).isEqualTo("error");
        assertThat(frame.getString("code")).isEqualTo(code);
        if (message != null) {
            assertThat(frame.getString("error")).isEqualTo(message);
        }
    }

    private static JsonObject subscribeTasks(WsClient client) {
        JsonObject snapshot = client.request(json("{'type':'subscribe','view':'task_list','params':{}}"));
        assertThat(snapshot.getString("type")).as("subscribe: %s", snapshot).isEqualTo("snapshot");
        return snapshot;
    }

    /** Sends a frame and returns every frame received up to and including its reply, in arrival order. */
    private static List<JsonObject> framesUntilReply(WsClient client, JsonObject frame) {
        client.drain(); // nothing older than this request is left to be mistaken for its effects
        String id = client.send(frame);
        List<JsonObject> frames = new ArrayList<>();
        client.await(f -> {
            frames.add(f);
            return id.equals(f.getString("reply_to", null));
        }, LIVE);
        return frames;
    }

    @Test
    void anHttpMutationAnswersItsOutcomeWithTheVersionsThatIncludeIt() {
        Client client = Client.in(workspace());
        Http.Reply subscribed = Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                client.headers());
        JsonObject snapshot = subscribed.body().getJsonObject("data");

        JsonObject reply = ok(client, "{'action':'add_task','params':{'title':'Water the plants'},'mutation_id':'k3x9:1'}");

        assertThat(reply.keySet()).containsExactlyInAnyOrder("ok", "data", "mutation_id", "views", "rows", "replayed");
        String id = reply.getJsonObject("data").getString("id");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(reply.getString("mutation_id")).isEqualTo("k3x9:1");
        assertThat(reply.getBoolean("replayed")).isFalse();
        assertThat(reply.getJsonArray("views")).singleElement().satisfies(view -> {
            assertThat(view.asJsonObject().getString("view")).isEqualTo("task_list");
            assertThat(view.asJsonObject().getString("params_hash")).isEqualTo(snapshot.getString("params_hash"));
            assertThat(view.asJsonObject().getJsonNumber("version").longValue())
                    .isGreaterThan(snapshot.getJsonNumber("version").longValue());
        });
        assertThat(tasks(client).getJsonObject(id).getString("title")).isEqualTo("Water the plants");
    }

    @Test
    void aMutationWithoutIdAnswersNoMutationIdAndNullDataWhenTheHandlerReturnsNone() {
        Client client = Client.in(workspace());
        String id = addTask(client, "Call the plumber");

        JsonObject reply = ok(client, "{'action':'toggle_task','params':{'id':'" + id + "','done':true}}");

        assertThat(reply.containsKey("mutation_id")).isFalse();
        assertThat(reply.get("data")).isEqualTo(JsonValue.NULL);
        assertThat(tasks(client).getJsonObject(id).getBoolean("done")).isTrue();
    }

    @Test
    void everyTaskMutationChangesItsRow() {
        Client client = Client.in(workspace());
        String id = addTask(client, "Draft");

        ok(client, "{'action':'rename_task','params':{'id':'" + id + "','title':'Final'}}");
        ok(client, "{'action':'move_task','params':{'id':'" + id + "','position':42}}");
        JsonObject task = tasks(client).getJsonObject(id);
        assertThat(task.getString("title")).isEqualTo("Final");
        assertThat(task.getInt("position")).isEqualTo(42);

        ok(client, "{'action':'delete_task','params':{'id':'" + id + "'}}");
        assertThat(tasks(client).containsKey(id)).isFalse();
    }

    @Test
    void anotherClientOfTheWorkspaceSeesTheMutationAndAnotherWorkspaceDoesNot() {
        String workspace = workspace();
        Client actor = Client.in(workspace);
        String title = "Shared " + UUID.randomUUID();
        try (WsClient colleague = Client.in(workspace).connect();
             WsClient stranger = Client.in(workspace()).connect()) {
            subscribeTasks(colleague);
            subscribeTasks(stranger);

            String id = addTask(actor, title);
            JsonObject added = colleague.await(f -> "view_diff".equals(f.getString("type", null)), LIVE);
            assertThat(added.toString()).contains(id, title);

            ok(actor, "{'action':'toggle_task','params':{'id':'" + id + "','done':true}}");
            JsonObject toggled = colleague.await(f -> "table_diff".equals(f.getString("type", null)), LIVE);
            assertThat(toggled.getJsonObject("data").getString("id")).isEqualTo(id);

            // the colleague got both; a ping round trip shows the stranger got neither
            assertThat(stranger.drain()).extracting(JsonObject::toString).noneMatch(f -> f.contains(id) || f.contains(title));
        }
    }

    @Test
    void overWebSocketTheActingClientsDiffsPrecedeItsMutateOk() {
        Client client = Client.in(workspace());
        try (WsClient socket = client.connect()) {
            String hash = subscribeTasks(socket).getString("params_hash");

            List<JsonObject> added = framesUntilReply(socket,
                    json("{'type':'mutate','action':'add_task','params':{'title':'Ordered'},'mutation_id':'ws-1'}"));
            JsonObject addOk = added.get(added.size() - 1);
            assertThat(addOk.getString("type")).as("reply %s", addOk).isEqualTo("mutate_ok");
            String id = addOk.getJsonObject("data").getString("id");
            assertThat(addOk.getString("mutation_id")).isEqualTo("ws-1");
            assertThat(addOk.getBoolean("replayed")).isFalse();
            assertThat(added.subList(0, added.size() - 1))
                    .as("the view_diff adding the task arrives before mutate_ok")
                    .anySatisfy(frame -> {
                        assertThat(frame.getString("type")).isEqualTo("view_diff");
                        assertThat(frame.getJsonObject("data").getString("params_hash")).isEqualTo(hash);
                        assertThat(frame.toString()).contains(id);
                    });
            long addedVersion = addOk.getJsonArray("views").getJsonObject(0).getJsonNumber("version").longValue();
            assertThat(added).filteredOn(f -> "view_diff".equals(f.getString("type", null)))
                    .extracting(f -> f.getJsonObject("data").getJsonNumber("version").longValue())
                    .contains(addedVersion);

            List<JsonObject> toggled = framesUntilReply(socket,
                    json("{'type':'mutate','action':'toggle_task','params':{'id':'" + id + "','done':true}}"));
            JsonObject toggleOk = toggled.get(toggled.size() - 1);
            assertThat(toggleOk.getString("type")).as("reply %s", toggleOk).isEqualTo("mutate_ok");
            JsonObject row = toggleOk.getJsonArray("rows").getJsonObject(0);
            assertThat(row.getString("table")).isEqualTo("tasks");
            assertThat(row.getString("id")).isEqualTo(id);
            assertThat(toggled.subList(0, toggled.size() - 1))
                    .as("the table_diff of the toggled row, at the version mutate_ok names, arrives before it")
                    .anySatisfy(frame -> {
                        assertThat(frame.getString("type")).isEqualTo("table_diff");
                        assertThat(frame.getJsonObject("data").getString("id")).isEqualTo(id);
                        assertThat(frame.getJsonObject("data").getJsonNumber("ver").longValue())
                                .isEqualTo(row.getJsonNumber("ver").longValue());
                    });
        }
    }

    @Test
    void aRetryWithTheSameMutationIdReplaysTheFirstOutcomeAndRunsOnce() {
        Client client = Client.in(workspace());
        String body = "{'action':'add_task','params':{'title':'Only once'},'mutation_id':'retry-1'}";

        JsonObject first = ok(client, body);
        JsonObject again = ok(client, body);

        assertThat(again.getBoolean("replayed")).isTrue();
        assertThat(again.getJsonObject("data")).isEqualTo(first.getJsonObject("data"));
        assertThat(again.getString("mutation_id")).isEqualTo("retry-1");
        try (WsClient socket = client.connect()) { // the same seance over another transport
            JsonObject overWs = socket.request(json("{'type':'mutate','action':'add_task','params':{'title':'Only once'},"
                    + "'mutation_id':'retry-1'}"));
            assertThat(overWs.getString("type")).as("reply %s", overWs).isEqualTo("mutate_ok");
            assertThat(overWs.getBoolean("replayed")).isTrue();
            assertThat(overWs.getJsonObject("data")).isEqualTo(first.getJsonObject("data"));
        }
        assertThat(tasks(client).values()).filteredOn(t -> "Only once".equals(t.asJsonObject().getString("title")))
                .hasSize(1);
    }

    @Test
    void aRefusedMutationIsAnsweredAgainAsTheSameErrorOnRetry() {
        Client client = Client.in(workspace());
        addTask(client, "Taken");
        String body = "{'action':'add_task','params':{'title':'taken'},'mutation_id':'dup-1'}";

        assertError(mutate(client, body), 409, "conflict", "A task with this title already exists");
        Http.Reply again = mutate(client, body);

        assertError(again, 409, "conflict", "A task with this title already exists");
        assertThat(again.body().getString("reason")).isEqualTo("title_taken");
    }

    @Test
    void aMutationIdReusedForOtherParamsOrAnotherActionIsABadRequest() {
        Client client = Client.in(workspace());
        String id = ok(client, "{'action':'add_task','params':{'title':'First'},'mutation_id':'same'}")
                .getJsonObject("data").getString("id");

        assertError(mutate(client, "{'action':'add_task','params':{'title':'Second'},'mutation_id':'same'}"),
                400, "bad_request", null);
        assertError(mutate(client, "{'action':'delete_task','params':{'id':'" + id + "'},'mutation_id':'same'}"),
                400, "bad_request", null);
        assertThat(tasks(client).keySet()).containsExactly(id);
    }

    @Test
    void malformedRequestsAreBadRequests() {
        Client client = Client.in(workspace());
        assertError(mutate(client, "{'params':{'title':'x'}}"), 400, "bad_request", "'action' is required");
        assertError(mutate(client, "{'action':''}"), 400, "bad_request", "'action' must be a non-empty string");
        assertError(mutate(client, "{'action':7}"), 400, "bad_request", "'action' must be a non-empty string");
        assertError(mutate(client, "{'action':'" + "a".repeat(129) + "'}"), 400, "bad_request",
                "'action' must be at most 128 characters long");
        assertError(mutate(client, "{'action':'add_task','params':['x']}"), 400, "bad_request",
                "'params' must be an object");
        assertError(mutate(client, "{'action':'add_task','params':{'title':'x'},'view':'task_list'}"), 400,
                "bad_request", "unknown field 'view'");
        assertError(mutate(client, "{'action':'add_task','params':{'title':'x'},'mutation_id':'has space'}"), 400,
                "bad_request", BAD_MUTATION_ID);
        assertError(mutate(client, "{'action':'add_task','params':{'title':'x'},'mutation_id':'" + "m".repeat(65) + "'}"),
                400, "bad_request", BAD_MUTATION_ID);
        assertError(mutate(client, "{'action':'add_task','params':{'title':'x'},'mutation_id':12}"), 400,
                "bad_request", BAD_MUTATION_ID);
        assertError(mutate(client, "{'action':'add_task',"), 400, "bad_request", "request body is not valid JSON");
        assertError(mutate(client, "{'action':'add_task','action':'delete_task'}"), 400, "bad_request",
                "request body has the key 'action' twice");
        assertError(mutate(client, "[]"), 400, "bad_request", "request body must be a JSON object");
        assertThat(tasks(client)).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonOrTooLargeIsRefusedBeforeParsing() throws Exception {
        Client client = Client.in(workspace());
        HttpRequest.Builder form = HttpRequest.newBuilder(ExampleServer.uri("/arcana/mutate"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=delete_task"));
        String[] headers = client.headers();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            form.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = ExampleServer.http().send(form.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(ExampleServer.json(response.body()).getString("code")).isEqualTo("bad_request");

        String huge = "{'action':'add_task','params':{'title':'" + "x".repeat(70_000) + "'}}";
        assertError(mutate(client, huge), 413, "too_large", null);
    }

    @Test
    void paramsAreCheckedStrictlyAndNothingIsWritten() {
        Client client = Client.in(workspace());
        assertError(mutate(client, "{'action':'add_task','params':{'title':'x','done':true}}"), 400, "invalid_params",
                "unknown param 'done'");
        assertError(mutate(client, "{'action':'add_task','params':{}}"), 400, "invalid_params",
                "param 'title' is required");
        assertError(mutate(client, "{'action':'add_task'}"), 400, "invalid_params", "param 'title' is required");
        assertError(mutate(client, "{'action':'add_task','params':{'title':'" + "x".repeat(201) + "'}}"), 400,
                "invalid_params", "param 'title' must be at most 200 characters long, got 201");
        assertError(mutate(client, "{'action':'add_task','params':{'title':'   '}}"), 400, "invalid_params",
                "param 'title' must not be blank");
        assertError(mutate(client, "{'action':'add_task','params':{'title':'ok','assignee_id':'"
                + UUID.randomUUID() + "'}}"), 400, "invalid_params",
                "param 'assignee_id' does not name a user of this workspace");
        assertError(mutate(client, "{'action':'toggle_task','params':{'id':'x','done':true}}"), 400, "invalid_params",
                "param 'id' must be a UUID, got \"x\"");
        assertError(mutate(client, "{'action':'move_task','params':{'id':'" + UUID.randomUUID()
                + "','position':1.5}}"), 400, "invalid_params", "param 'position' must be an integral number, got 1.5");
        assertThat(tasks(client)).isEmpty();
    }

    @Test
    void noIdentityIsUnauthorized() {
        Http.Reply reply = Http.call("POST", "/arcana/mutate", "{\"action\":\"add_task\",\"params\":{\"title\":\"x\"}}");

        assertError(reply, 401, "unauthorized", null);
    }

    @Test
    void anotherIdentitysSeanceIsForbiddenAndNothingIsWritten() {
        Client owner = Client.in(workspace());
        tasks(owner); // claims the seance
        for (Client intruder : List.of(new Client(owner.seance(), "intruder", owner.workspace()),
                new Client(owner.seance(), owner.user(), workspace()))) {
            assertError(mutate(intruder, "{'action':'add_task','params':{'title':'Planted'}}"), 403, "forbidden", null);
        }
        assertThat(tasks(owner)).isEmpty();
    }

    @Test
    void anUnknownActionIsNotFound() {
        Client client = Client.in(workspace());
        Http.Reply reply = mutate(client, "{'action':'launch_rockets','params':{}}");

        assertError(reply, 404, "not_found", null);
        assertThat(reply.body().getString("error")).contains("launch_rockets");
    }

    @Test
    void aTaskOfAnotherWorkspaceIsNotFoundAndStaysAsItWas() {
        Client owner = Client.in(workspace());
        String id = addTask(owner, "Not yours");
        Client other = Client.in(workspace());

        assertError(mutate(other, "{'action':'toggle_task','params':{'id':'" + id + "','done':true}}"), 404,
                "not_found", null);
        assertError(mutate(other, "{'action':'rename_task','params':{'id':'" + id + "','title':'Mine'}}"), 404,
                "not_found", null);
        assertError(mutate(other, "{'action':'move_task','params':{'id':'" + id + "','position':0}}"), 404,
                "not_found", null);
        assertError(mutate(other, "{'action':'delete_task','params':{'id':'" + id + "'}}"), 404, "not_found", null);
        assertError(mutate(owner, "{'action':'delete_task','params':{'id':'" + UUID.randomUUID() + "'}}"), 404,
                "not_found", null);

        JsonObject task = tasks(owner).getJsonObject(id);
        assertThat(task.getString("title")).isEqualTo("Not yours");
        assertThat(task.getBoolean("done")).isFalse();
        assertThat(task.getInt("position")).isEqualTo(1);
    }

    @Test
    void anActionForAdminsIsForbiddenToAMemberBeforeItRunsAndRunsForAnAdmin() {
        Client client = Client.in(workspace());
        String done = addTask(client, "Finished");
        ok(client, "{'action':'toggle_task','params':{'id':'" + done + "','done':true}}");
        String[] member = roleHeaders(client, "member");

        Http.Reply refused = Http.call("POST", "/arcana/mutate", "{\"action\":\"clear_done\"}", member);
        assertError(refused, 403, "forbidden", "action 'clear_done' requires one of the roles [admin]");
        assertThat(tasks(client).containsKey(done)).as("nothing ran").isTrue();

        Http.Reply cleared = Http.call("POST", "/arcana/mutate", "{\"action\":\"clear_done\"}", roleHeaders(client, "admin"));
        assertThat(cleared.status()).as("%s", cleared.body()).isEqualTo(200);
        assertThat(cleared.body().getJsonObject("data").getInt("deleted")).isEqualTo(1);
        assertThat(tasks(client).containsKey(done)).isFalse();
    }

    private static String[] roleHeaders(Client client, String role) {
        String[] base = client.headers();
        String[] headers = java.util.Arrays.copyOf(base, base.length + 2);
        headers[base.length] = "X-Role";
        headers[base.length + 1] = role;
        return headers;
    }

    @Test
    void aTaskMayBeCreatedWithTheClientsOwnIdWhichNoOtherTaskMayTake() {
        Client client = Client.in(workspace());
        String id = java.util.UUID.randomUUID().toString();

        JsonObject created = ok(client, "{'action':'add_task','params':{'id':'" + id + "','title':'Mine'}}");

        assertThat(created.getJsonObject("data").getString("id")).isEqualTo(id);
        assertThat(tasks(client).getJsonObject(id).getString("title")).isEqualTo("Mine");
        Http.Reply again = mutate(client, "{'action':'add_task','params':{'id':'" + id + "','title':'Other'}}");
        assertError(again, 409, "conflict", "A task with this id already exists");
        assertThat(again.body().getString("reason")).isEqualTo("id_taken");
        assertError(mutate(Client.in(workspace()), "{'action':'add_task','params':{'id':'" + id + "','title':'Theirs'}}"),
                409, "conflict", "A task with this id already exists");
        assertThat(tasks(client).getJsonObject(id).getString("title")).isEqualTo("Mine");
    }

    @Test
    void aTakenTitleIsAConflictWithTheApplicationsReason() {
        Client client = Client.in(workspace());
        addTask(client, "Buy milk");
        String other = addTask(client, "Buy bread");

        // add_task inserts through the application's own TaskRepository bean, then checks the rule: the
        // refusal rolls that bean's insert back with the mutation (one JTA transaction); the titles below prove it
        Http.Reply duplicate = mutate(client, "{'action':'add_task','params':{'title':'  buy MILK '}}");
        assertError(duplicate, 409, "conflict", "A task with this title already exists");
        assertThat(duplicate.body().getString("reason")).isEqualTo("title_taken");
        assertError(mutate(client, "{'action':'rename_task','params':{'id':'" + other + "','title':'BUY MILK'}}"), 409,
                "conflict", "A task with this title already exists");
        ok(client, "{'action':'rename_task','params':{'id':'" + other + "','title':'Buy Bread'}}"); // its own title

        assertThat(tasks(client).values()).extracting(t -> t.asJsonObject().getString("title"))
                .containsExactlyInAnyOrder("Buy milk", "Buy Bread");
        addTask(Client.in(workspace()), "Buy milk"); // another workspace's titles are its own
    }

    @Test
    void overWebSocketEveryErrorIsAnErrorFrameAnsweringTheRequest() {
        Client client = Client.in(workspace());
        try (WsClient socket = client.connect()) {
            String id = socket.request(json("{'type':'mutate','action':'add_task','params':{'title':'Here'}}"))
                    .getJsonObject("data").getString("id");

            assertErrorFrame(socket.request(json("{'type':'mutate','params':{}}")), "bad_request", "'action' is required");
            assertErrorFrame(socket.request(json("{'type':'mutate','action':'add_task','view':'v'}")), "bad_request",
                    "unknown field 'view'");
            assertErrorFrame(socket.request(json("{'type':'mutate','action':'add_task','mutation_id':'a/b'}")),
                    "bad_request", BAD_MUTATION_ID);
            assertErrorFrame(socket.request(json("{'type':'mutate','action':'add_task','params':{'title':'x','done':true}}")),
                    "invalid_params", "unknown param 'done'");
            assertErrorFrame(socket.request(json("{'type':'mutate','action':'launch_rockets'}")), "not_found", null);
            assertErrorFrame(socket.request(json("{'type':'mutate','action':'delete_task','params':{'id':'"
                    + UUID.randomUUID() + "'}}")), "not_found", null);

            JsonObject conflict = socket.request(json("{'type':'mutate','action':'add_task','params':{'title':'HERE'}}"));
            assertErrorFrame(conflict, "conflict", "A task with this title already exists");
            assertThat(conflict.getString("reason")).isEqualTo("title_taken");

            socket.request(json("{'type':'mutate','action':'add_task','params':{'title':'One'},'mutation_id':'r'}"));
            assertErrorFrame(socket.request(json("{'type':'mutate','action':'add_task','params':{'title':'Two'},"
                    + "'mutation_id':'r'}")), "bad_request", null);

            assertThat(socket.request(json("{'type':'ping'}")).getString("type")).as("the connection stays usable")
                    .isEqualTo("pong");
            assertThat(tasks(client).keySet()).hasSize(2).contains(id);
        }
    }

    @Test
    void theSchemaListsTheMutationsAndTheirParams() throws Exception {
        HttpResponse<String> response = ExampleServer.http().send(HttpRequest.newBuilder(ExampleServer.uri("/arcana/schema"))
                .timeout(Duration.ofSeconds(10)).headers(Client.in(workspace()).headers()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        JsonObject mutations = ExampleServer.json(response.body()).getJsonObject("data").getJsonObject("mutations");
        assertThat(mutations.keySet()).contains("add_task", "toggle_task", "rename_task", "delete_task", "move_task",
                "clear_done");
        assertThat(mutations.getJsonObject("clear_done")).isEqualTo(json("{'params':{},'requires_roles':['admin']}"));
        assertThat(mutations.getJsonObject("add_task")).isEqualTo(json("{'params':{"
                + "'id':{'type':'uuid','required':false},"
                + "'title':{'type':'string','required':true,'maxLength':200},"
                + "'assignee_id':{'type':'uuid','required':false}}}"));
    }
}
