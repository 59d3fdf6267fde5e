package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ActiveSubscription;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.ForbiddenException;
import dev.arcana.api.Identity;
import dev.arcana.api.InvalidParamsException;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.MutationRejectedException;
import dev.arcana.api.NotFoundException;
import dev.arcana.api.NotStartedException;
import dev.arcana.api.TooManySubscriptionsException;
import dev.arcana.websocket.Fakes.FakeArcana;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDispatcherTest {
    private static final Identity ALICE = new Identity("s1", "alice", "acme");

    private final FakeArcana engine = new FakeArcana();
    private final FrameDispatcher dispatcher = new FrameDispatcher(() -> engine, 65_536);

    private JsonObject dispatch(String frame) {
        return Json.createReader(new StringReader(dispatcher.dispatch(ALICE, frame))).readObject();
    }

    private static JsonObject error(String replyTo, String code, String message) {
        var error = Json.createObjectBuilder();
        if (replyTo != null) {
            error.add("reply_to", replyTo);
        }
        return error.add("type", "error").add("code", code).add("message", message).add("error", message).build();
    }

    @Test
    void anUnknownFrameTypeIsABadRequestAnsweringItsId() {
        assertThat(dispatch("{\"id\":\"7\",\"type\":\"launch\"}"))
                .isEqualTo(error("7", "bad_request", "unknown frame type 'launch'"));
    }

    @Test
    void aFrameWithoutIdIsABadRequestWithoutReplyTo() {
        assertThat(dispatch("{\"type\":\"ping\"}")).isEqualTo(error(null, "bad_request", "'id' is required"));
        assertThat(dispatch("{\"id\":\"\",\"type\":\"ping\"}"))
                .isEqualTo(error(null, "bad_request", "'id' must be a non-empty string or an integer"));
        assertThat(dispatch("{\"id\":{},\"type\":\"ping\"}"))
                .isEqualTo(error(null, "bad_request", "'id' must be a non-empty string or an integer"));
    }

    @Test
    void malformedJsonIsABadRequest() {
        assertThat(dispatch("{\"id\":\"1\",")).isEqualTo(error(null, "bad_request", "frame is not valid JSON"));
        assertThat(dispatch("[1,2]")).isEqualTo(error(null, "bad_request", "frame must be a JSON object"));
        assertThat(dispatch("")).isEqualTo(error(null, "bad_request", "frame is empty"));
    }

    @Test
    void aFrameWithoutTypeIsABadRequest() {
        assertThat(dispatch("{\"id\":\"3\"}")).isEqualTo(error("3", "bad_request", "'type' is required"));
    }

    @Test
    void anOversizeFrameIsTooLarge() {
        assertThat(Json.createReader(new StringReader(dispatcher.tooLarge())).readObject())
                .isEqualTo(error(null, "too_large", "frame exceeds 65536 bytes"));
    }

    @Test
    void pingIsAnsweredPongAndIntegerIdsAreEchoed() {
        assertThat(dispatch("{\"id\":\"p1\",\"type\":\"ping\"}"))
                .isEqualTo(Json.createObjectBuilder().add("reply_to", "p1").add("type", "pong").build());
        assertThat(dispatch("{\"id\":42,\"type\":\"ping\"}"))
                .isEqualTo(Json.createObjectBuilder().add("reply_to", 42).add("type", "pong").build());
    }

    @Test
    void subscribeAnswersTheSnapshotWithReplyTo() {
        JsonObject reply = dispatch("{\"id\":\"1\",\"type\":\"subscribe\",\"view\":\"user_list\",\"params\":{\"limit\":5}}");

        assertThat(reply.getString("reply_to")).isEqualTo("1");
        assertThat(reply.getString("type")).isEqualTo("snapshot");
        assertThat(reply.getString("view")).isEqualTo("user_list");
        assertThat(reply.getString("params_hash")).isEqualTo("hash-user_list");
        assertThat(reply.getInt("version")).isEqualTo(1);
        assertThat(reply.getString("seance_id")).isEqualTo("s1");
        assertThat(reply.getJsonArray("refs")).hasSize(1);
        assertThat(reply.getJsonObject("tables").getJsonObject("users").getJsonObject("u1").getString("id"))
                .isEqualTo("u1");
        assertThat(reply.getInt("total")).isEqualTo(1);
        assertThat(engine.calls).containsExactly("subscribe s1 user_list {\"limit\":5}");
    }

    @Test
    void subscribeWithoutViewIsABadRequest() {
        assertThat(dispatch("{\"id\":\"1\",\"type\":\"subscribe\"}"))
                .isEqualTo(error("1", "bad_request", "'view' is required"));
        assertThat(engine.calls).isEmpty();
    }

    @Test
    void engineErrorsKeepTheirCode() {
        String frame = "{\"id\":\"9\",\"type\":\"subscribe\",\"view\":\"v\"}";
        engine.subscribeFailure = NotFoundException.unknownView("v");
        assertThat(dispatch(frame)).isEqualTo(error("9", "not_found", "unknown view 'v'"));
        engine.subscribeFailure = new InvalidParamsException("limit", "param 'limit' must be an integral number, got 1.7");
        assertThat(dispatch(frame).getString("code")).isEqualTo("invalid_params");
        engine.subscribeFailure = new ForbiddenException("nope");
        assertThat(dispatch(frame).getString("code")).isEqualTo("forbidden");
        engine.subscribeFailure = new TooManySubscriptionsException(100);
        assertThat(dispatch(frame).getString("code")).isEqualTo("too_many_subscriptions");
        engine.subscribeFailure = new NotStartedException();
        assertThat(dispatch(frame)).isEqualTo(error("9", "not_ready", "engine is not running"));
    }

    @Test
    void unexpectedErrorsAreInternalWithoutDetails() {
        engine.subscribeFailure = new IllegalStateException("ERROR: relation \"users\" does not exist (SQL 42P01)");

        JsonObject reply = dispatch("{\"id\":\"9\",\"type\":\"subscribe\",\"view\":\"v\"}");

        assertThat(reply.getString("code")).isEqualTo("internal");
        assertThat(reply.getString("error")).matches("internal error \\(ref [0-9a-f]+\\)");
    }

    @Test
    void anEngineThatIsNotRunningAnswersNotReady() {
        FrameDispatcher down = new FrameDispatcher(() -> {
            throw new NotStartedException();
        }, 1024);

        String reply = down.dispatch(ALICE, "{\"id\":\"1\",\"type\":\"sync\",\"views\":[]}");

        assertThat(Json.createReader(new StringReader(reply)).readObject())
                .isEqualTo(error("1", "not_ready", "engine is not running"));
        // ping needs no engine
        assertThat(down.dispatch(ALICE, "{\"id\":\"2\",\"type\":\"ping\"}")).contains("pong");
    }

    @Test
    void unsubscribeAnswersOk() {
        engine.active.add(new ActiveSubscription("user_list", "h1", 3));

        assertThat(dispatch("{\"id\":\"4\",\"type\":\"unsubscribe\",\"view\":\"user_list\",\"params_hash\":\"h1\"}"))
                .isEqualTo(Json.createObjectBuilder().add("reply_to", "4").add("type", "ok").build());
        assertThat(engine.calls).containsExactly("unsubscribe s1 user_list h1");
    }

    @Test
    void unsubscribeFindsTheViewFromTheParamsHashWhenItIsMissing() {
        engine.active.add(new ActiveSubscription("task_list", "h2", 1));

        assertThat(dispatch("{\"id\":\"5\",\"type\":\"unsubscribe\",\"params_hash\":\"h2\"}").getString("type"))
                .isEqualTo("ok");
        assertThat(engine.calls).containsExactly("unsubscribe s1 task_list h2");
        assertThat(dispatch("{\"id\":\"6\",\"type\":\"unsubscribe\",\"params_hash\":\"nope\"}"))
                .isEqualTo(error("6", "not_found", "no subscription with params_hash 'nope'"));
        assertThat(dispatch("{\"id\":\"7\",\"type\":\"unsubscribe\",\"view\":\"task_list\",\"params_hash\":\"nope\"}")
                .getString("code")).isEqualTo("not_found");
        assertThat(dispatch("{\"id\":\"8\",\"type\":\"unsubscribe\"}"))
                .isEqualTo(error("8", "bad_request", "'params_hash' is required"));
    }

    @Test
    void syncAnswersOneEntryPerViewInOrder() {
        JsonObject reply = dispatch("{\"id\":\"s\",\"type\":\"sync\",\"views\":["
                + "{\"view\":\"a\",\"params_hash\":\"ha\",\"version\":3},"
                + "{\"view\":\"b\",\"params_hash\":\"hb\",\"version\":0}]}");

        assertThat(reply.getString("reply_to")).isEqualTo("s");
        assertThat(reply.getString("type")).isEqualTo("sync_result");
        assertThat(reply.getJsonArray("views")).hasSize(2);
        assertThat(reply.getJsonArray("views").getJsonObject(0).getString("view")).isEqualTo("a");
        assertThat(reply.getJsonArray("views").getJsonObject(0).getString("mode")).isEqualTo("catch_up");
        assertThat(reply.getJsonArray("views").getJsonObject(1).getString("params_hash")).isEqualTo("hb");
        assertThat(dispatch("{\"id\":\"t\",\"type\":\"sync\"}"))
                .isEqualTo(error("t", "bad_request", "'views' must be an array"));
    }

    @Test
    void unreadableFramesAreBadRequestsWithoutReplyTo() {
        assertThat(dispatch("[".repeat(10_000) + "]".repeat(10_000)))
                .isEqualTo(error(null, "bad_request", "frame nests deeper than 64 levels"));
        assertThat(dispatch("{\"id\":\"1\",\"type\":\"ping\"} trailing"))
                .isEqualTo(error(null, "bad_request", "frame has data after the JSON value"));
        assertThat(dispatch("{\"id\":\"1\",\"type\":\"ping\",\"type\":\"sync\"}"))
                .isEqualTo(error(null, "bad_request", "frame has the key 'type' twice"));
    }

    @Test
    void authOnAnAuthenticatedConnectionIsOk() {
        assertThat(dispatch("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"t\"}"))
                .isEqualTo(Json.createObjectBuilder().add("reply_to", "1").add("type", "ok").build());
    }

    @Test
    void authFramesAreRecognised() {
        assertThat(FrameDispatcher.auth("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"abc\"}"))
                .isEqualTo(new FrameDispatcher.Auth(Json.createValue("1"), "abc"));
        assertThat(FrameDispatcher.auth("{\"type\":\"auth\",\"token\":\"abc\"}"))
                .isEqualTo(new FrameDispatcher.Auth(null, "abc"));
        assertThat(FrameDispatcher.auth("{\"id\":\"1\",\"type\":\"auth\",\"token\":\" \"}")).isNull();
        assertThat(FrameDispatcher.auth("{\"id\":\"1\",\"type\":\"auth\"}")).isNull();
        assertThat(FrameDispatcher.auth("{\"id\":\"1\",\"type\":\"ping\",\"token\":\"abc\"}")).isNull();
        assertThatThrownBy(() -> FrameDispatcher.auth("not json")).hasMessage("frame is not valid JSON");
        assertThat(FrameDispatcher.authenticated(Json.createValue("1")))
                .isEqualTo("{\"reply_to\":\"1\",\"type\":\"ok\"}");
    }

    @Test
    void longUnknownTypesAreCutInTheMessage() {
        String type = "x".repeat(500);
        String message = dispatch("{\"id\":\"1\",\"type\":\"" + type + "\"}").getString("message");
        assertThat(message).hasSizeLessThan(100).startsWith("unknown frame type 'xxxx");
    }

    @Test
    void mutateAnswersMutateOkWithTheOutcomeAfterThePushes() {
        engine.mutateOutcome = new MutationOutcome(Json.createObjectBuilder().add("id", "t9").build(), "m-1",
                List.of(new MutationOutcome.ViewVersion("task_list", "h1", 4)),
                List.of(new MutationOutcome.RowVersion("tasks", "t9", 2)), false);

        List<String> order = new ArrayList<>();
        engine.duringMutate = () -> order.add("handler");
        String reply = dispatcher.answer(ALICE, "{\"id\":5,\"type\":\"mutate\",\"action\":\"add_task\","
                + "\"params\":{\"title\":\"x\"},\"mutation_id\":\"m-1\"}", () -> order.add("place given up"));

        assertThat(order).containsExactly("place given up", "handler");
        assertThat(reply).isEqualTo("{\"reply_to\":5,\"type\":\"mutate_ok\",\"data\":{\"id\":\"t9\"},"
                + "\"mutation_id\":\"m-1\",\"views\":[{\"view\":\"task_list\",\"params_hash\":\"h1\",\"version\":4}],"
                + "\"rows\":[{\"table\":\"tasks\",\"id\":\"t9\",\"ver\":2}],\"replayed\":false}");
        assertThat(engine.calls).containsExactly("mutate s1 add_task {\"title\":\"x\"} m-1");
    }

    @Test
    void otherRepliesAndRefusedMutationFramesKeepThePlaceOfTheirRequest() {
        FrameDispatcher.ReplyPlace mustNotMove = () -> {
            throw new AssertionError("the reply's place was given up");
        };
        assertThat(dispatcher.answer(ALICE, "{\"id\":1,\"type\":\"subscribe\",\"view\":\"v\"}", mustNotMove))
                .contains("snapshot");
        assertThat(dispatcher.answer(ALICE, "{\"id\":1,\"type\":\"ping\"}", mustNotMove)).contains("pong");
        assertThat(dispatcher.answer(ALICE, "{\"id\":1,\"type\":\"mutate\",\"action\":\"a\",\"extra\":1}", mustNotMove))
                .contains("bad_request");
    }

    @Test
    void aRefusedMutationCarriesItsReason() {
        engine.mutateFailure = new MutationRejectedException("title_taken", "A task with this title already exists");

        assertThat(dispatch("{\"id\":\"m\",\"type\":\"mutate\",\"action\":\"add_task\"}")).isEqualTo(
                Json.createObjectBuilder(error("m", "conflict", "A task with this title already exists"))
                        .add("reason", "title_taken").build());
    }

    @Test
    void aMalformedMutateFrameIsABadRequestAndNeverReachesTheEngine() {
        assertThat(dispatch("{\"id\":\"1\",\"type\":\"mutate\"}"))
                .isEqualTo(error("1", "bad_request", "'action' is required"));
        assertThat(dispatch("{\"id\":\"2\",\"type\":\"mutate\",\"action\":\"a\",\"view\":\"v\"}"))
                .isEqualTo(error("2", "bad_request", "unknown field 'view'"));
        assertThat(dispatch("{\"id\":\"3\",\"type\":\"mutate\",\"action\":\"a\",\"mutation_id\":\"no spaces\"}"))
                .isEqualTo(error("3", "bad_request", "'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -"));
        assertThat(engine.calls).isEmpty();
    }

    @Test
    void engineErrorsOfAMutationKeepTheirCode() {
        String frame = "{\"id\":\"9\",\"type\":\"mutate\",\"action\":\"delete_task\"}";
        engine.mutateFailure = NotFoundException.unknownView("v");
        assertThat(dispatch(frame).getString("code")).isEqualTo("not_found");
        engine.mutateFailure = new InvalidParamsException("id", "param 'id' is required");
        assertThat(dispatch(frame)).isEqualTo(error("9", "invalid_params", "param 'id' is required"));
        engine.mutateFailure = new ForbiddenException("nope");
        assertThat(dispatch(frame).getString("code")).isEqualTo("forbidden");
        engine.mutateFailure = new IllegalStateException("ERROR: deadlock detected (SQL 40P01)");
        assertThat(dispatch(frame).getString("error")).matches("internal error \\(ref [0-9a-f]+\\)");
        engine.mutateFailure = ArcanaException.internal("mutation 'delete_task' failed",
                new java.sql.SQLException("ERROR: relation \"tasks\" does not exist", "42P01"));
        JsonObject internal = dispatch(frame);
        assertThat(internal.getString("code")).isEqualTo("internal");
        assertThat(internal.getString("error")).matches("mutation 'delete_task' failed \\(ref [0-9a-f]+\\)")
                .isEqualTo(internal.getString("message"));
    }
}
