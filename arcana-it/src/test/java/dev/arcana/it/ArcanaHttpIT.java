package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Arcana's HTTP endpoints on Liberty: envelopes, statuses and codes of PROTOCOL.md, negative cases included. */
@Tag(ExampleServer.PORTABLE)
class ArcanaHttpIT {
    private static final String ACME_ORG = "aaaaaaaa-0000-4000-8000-000000000000";

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
    }

    private static String[] someone() {
        return Http.as("http-" + UUID.randomUUID(), "ada", "acme");
    }

    private static void assertError(Http.Reply reply, int status, String code, String message) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.body().getBoolean("ok")).isFalse();
        assertThat(reply.body().getString("code")).isEqualTo(code);
        if (message != null) {
            assertThat(reply.body().getString("error")).isEqualTo(message);
        }
    }

    @Test
    void subscribeAnswersTheSnapshotInTheEnvelope() {
        Http.Reply reply = Http.call("POST", "/arcana/subscribe",
                "{\"view\":\"user_list\",\"params\":{\"org_id\":\"" + ACME_ORG + "\",\"limit\":2}}", someone());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().getBoolean("ok")).isTrue();
        JsonObject data = reply.body().getJsonObject("data");
        assertThat(data.getInt("version")).isEqualTo(1);
        assertThat(data.getString("params_hash")).hasSize(64);
        assertThat(data.getInt("total")).isEqualTo(3);
        assertThat(data.getJsonArray("refs")).hasSize(2);
        assertThat(data.getJsonArray("refs").getJsonObject(0).getString("table")).isEqualTo("users");
        assertThat(data.getJsonObject("tables").getJsonObject("users")).hasSize(2);
    }

    @Test
    void unsubscribeActiveAndSyncFollowTheSubscription() {
        String[] identity = someone();
        JsonObject data = Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\"}", identity).body()
                .getJsonObject("data");
        String hash = data.getString("params_hash");

        JsonObject active = Http.call("GET", "/arcana/active", null, identity).body();
        assertThat(active.getJsonArray("data").getJsonObject(0).getString("params_hash")).isEqualTo(hash);

        Http.Reply sync = Http.call("POST", "/arcana/sync",
                "{\"views\":[{\"view\":\"task_list\",\"params_hash\":\"" + hash + "\",\"version\":1}]}", identity);
        assertThat(sync.status()).isEqualTo(200);
        assertThat(sync.body().getJsonObject("data").getJsonArray("views").getJsonObject(0).getString("mode"))
                .isEqualTo("catch_up");

        Http.Reply gone = Http.call("POST", "/arcana/unsubscribe",
                "{\"view\":\"task_list\",\"params_hash\":\"" + hash + "\"}", identity);
        assertThat(gone.status()).isEqualTo(200);
        assertThat(gone.body().getBoolean("ok")).isTrue();
        assertError(Http.call("POST", "/arcana/unsubscribe",
                        "{\"view\":\"task_list\",\"params_hash\":\"" + hash + "\"}", identity), 404, "not_found",
                "no subscription to view 'task_list' with params_hash '" + hash + "'");
    }

    @Test
    void requestWithoutIdentityIsUnauthorized() {
        assertError(Http.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\"}"), 401, "unauthorized", null);
        assertError(Http.call("GET", "/arcana/active", null), 401, "unauthorized", null);
    }

    @Test
    void malformedJsonIsBadRequest() {
        assertError(Http.call("POST", "/arcana/subscribe", "{\"view\":", someone()), 400, "bad_request",
                "request body is not valid JSON");
        assertError(Http.call("POST", "/arcana/subscribe", "[1,2]", someone()), 400, "bad_request",
                "request body must be a JSON object");
        assertError(Http.call("POST", "/arcana/subscribe", "{\"params\":{}}", someone()), 400, "bad_request",
                "'view' is required");
        assertError(Http.call("POST", "/arcana/sync", "{\"views\":7}", someone()), 400, "bad_request",
                "'views' must be an array");
    }

    @Test
    void unknownViewIsNotFound() {
        assertError(Http.call("POST", "/arcana/subscribe", "{\"view\":\"nope\"}", someone()), 404, "not_found",
                "unknown view 'nope'");
    }

    @Test
    void badParamsAreInvalidParams() {
        assertError(Http.call("POST", "/arcana/subscribe", "{\"view\":\"user_list\",\"params\":{}}", someone()),
                400, "invalid_params", "param 'org_id' is required");
        assertError(Http.call("POST", "/arcana/subscribe",
                        "{\"view\":\"user_list\",\"params\":{\"org_id\":\"" + ACME_ORG + "\",\"limit\":1.5}}", someone()),
                400, "invalid_params", "param 'limit' must be an integral number, got 1.5");
        assertError(Http.call("POST", "/arcana/subscribe",
                        "{\"view\":\"user_list\",\"params\":{\"org_id\":\"" + ACME_ORG + "\",\"role\":\"boss\"}}",
                        someone()),
                400, "invalid_params", "param 'role' must be one of [admin, member, viewer], got \"boss\"");
    }

    @Test
    void oversizeBodyIsTooLarge() {
        String big = "{\"view\":\"task_list\",\"params\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}";
        Http.Reply reply = Http.call("POST", "/arcana/subscribe", big, someone());
        assertError(reply, 413, "too_large", null);
    }

    @Test
    void schemaReportsPostgresColumnTypesAndViews() {
        JsonObject data = Http.call("GET", "/arcana/schema", null, someone()).body().getJsonObject("data");
        assertThat(data.getJsonObject("tables").getJsonObject("tasks").getJsonObject("done").getString("type"))
                .isEqualTo("bool");
        assertThat(data.getJsonObject("tables").getJsonObject("users").getJsonObject("id").getString("type"))
                .isEqualTo("uuid");
        JsonObject role = data.getJsonObject("views").getJsonObject("user_list").getJsonObject("params")
                .getJsonObject("role");
        assertThat(role.getString("type")).isEqualTo("string");
        assertThat(role.getJsonArray("oneOf")).hasSize(3);
    }

    @Test
    void healthReportsTheRunningEngine() {
        JsonObject data = Http.call("GET", "/arcana/health", null, someone()).body().getJsonObject("data");
        assertThat(data.getBoolean("running")).isTrue();
        assertThat(data.getInt("graphs")).isEqualTo(4);
        Http.Reply ready = Http.call("GET", ExampleServer.HEALTH_READY.toString(), null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().getString("status")).isEqualTo("UP");
    }

    @Test
    void taskWriteApiValidatesItsInput() {
        String[] identity = Http.as("w-" + UUID.randomUUID(), "ada", "ws-" + UUID.randomUUID());
        assertError(Http.call("POST", "/api/tasks", "{}", identity), 400, "bad_request", "'title' is required");
        assertError(Http.call("POST", "/api/tasks", "{\"title\":\"  \"}", identity), 400, "bad_request",
                "'title' must not be empty");
        assertError(Http.call("POST", "/api/tasks", "{\"title\":\"x\",\"colour\":1}", identity), 400, "bad_request",
                "unknown field 'colour'");
        assertError(Http.call("POST", "/api/tasks", "{\"title\":\"x\",\"assignee_id\":\"aaaaaaaa-0000-4000-8000-000000000001\"}",
                identity), 400, "bad_request", "'assignee_id' does not name a user of this workspace");
        assertError(Http.call("PATCH", "/api/tasks/not-a-uuid", "{\"done\":true}", identity), 400, "bad_request",
                "task id must be a UUID");
        assertError(Http.call("PATCH", "/api/tasks/" + UUID.randomUUID(), "{\"done\":\"yes\"}", identity), 400,
                "bad_request", "'done' must be true or false");
        assertError(Http.call("DELETE", "/api/tasks/" + UUID.randomUUID(), null, identity), 404, "not_found", null);
        assertError(Http.call("POST", "/api/tasks", "{\"title\":\"x\"}"), 401, "unauthorized", null);
    }
}
