package dev.arcana.centrifugo;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the errors that Centrifugo reports inside HTTP 200 bodies: a top-level
 * {@code {"error": {"code", "message"}}} (whole request failed), an {@code error} per reply of
 * {@code /api/batch} ({@code {"replies": [{"publish": {}}, {"error": {...}}]}}), and an
 * {@code error} per channel of a broadcast ({@code {"result": {"responses": [...]}}}).
 */
final class ApiReplies {

    /**
     * What happened to the commands of one request.
     *
     * @param delivered   publications accepted
     * @param failed      channels whose publication (or disconnect) Centrifugo refused
     * @param apiErrors   error objects found
     * @param firstError  the first one, e.g. {@code 102 unknown channel}, for the log
     */
    record Outcome(int delivered, List<String> failed, int apiErrors, String firstError) {
        static Outcome allFailed(List<Command> commands, String error) {
            List<String> channels = new ArrayList<>();
            commands.forEach(c -> channels.addAll(c.channels()));
            return new Outcome(0, channels, 0, error);
        }
    }

    private ApiReplies() {
    }

    /** The reply of {@code /api/{method}} for one command. */
    static Outcome single(Command command, JsonObject reply) {
        Tally tally = new Tally();
        JsonObject error = objectOrNull(reply, "error");
        if (error != null) {
            tally.error(error, command.channels());
        } else {
            tally.result(command, objectOrNull(reply, "result"));
        }
        return tally.outcome();
    }

    /** The reply of {@code /api/batch} for {@code commands}, in order. */
    static Outcome batch(List<Command> commands, JsonObject reply) {
        Tally tally = new Tally();
        JsonObject error = objectOrNull(reply, "error");
        JsonValue replies = reply.get("replies");
        if (error != null) { // the whole request refused: one error, every channel lost
            List<String> all = new ArrayList<>();
            commands.forEach(c -> all.addAll(c.channels()));
            tally.error(error, all);
            return tally.outcome();
        }
        if (!(replies instanceof JsonArray array) || array.size() != commands.size()) {
            Outcome bad = Outcome.allFailed(commands, "batch reply without " + commands.size() + " replies: " + reply);
            return new Outcome(0, bad.failed(), 1, bad.firstError());
        }
        for (int i = 0; i < commands.size(); i++) {
            Command command = commands.get(i);
            JsonObject one = array.get(i) instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
            JsonObject oneError = objectOrNull(one, "error");
            if (oneError != null) {
                tally.error(oneError, command.channels());
            } else if (!one.containsKey(command.method())) {
                tally.error(null, command.channels());
            } else {
                tally.result(command, objectOrNull(one, command.method()));
            }
        }
        return tally.outcome();
    }

    private static JsonObject objectOrNull(JsonObject object, String key) {
        JsonValue value = object == null ? null : object.get(key);
        return value instanceof JsonObject o ? o : null;
    }

    private static final class Tally {
        int delivered;
        final List<String> failed = new ArrayList<>();
        int apiErrors;
        String firstError;

        void error(JsonObject error, List<String> channels) {
            apiErrors++;
            failed.addAll(channels);
            if (firstError == null) {
                firstError = error == null ? "reply without result" : error.getInt("code", -1) + " "
                        + error.getString("message", "");
            }
        }

        /** A broadcast's result lists one response per channel, each possibly an error. */
        void result(Command command, JsonObject result) {
            if (!"broadcast".equals(command.method())) {
                delivered += command.messages();
                return;
            }
            JsonValue responses = result == null ? null : result.get("responses");
            if (!(responses instanceof JsonArray array) || array.size() != command.channels().size()) {
                delivered += command.messages(); // older servers omit per-channel responses
                return;
            }
            for (int i = 0; i < array.size(); i++) {
                JsonObject error = array.get(i) instanceof JsonObject o ? objectOrNull(o, "error") : null;
                if (error != null) {
                    error(error, List.of(command.channels().get(i)));
                } else {
                    delivered++;
                }
            }
        }

        Outcome outcome() {
            return new Outcome(delivered, List.copyOf(failed), apiErrors, firstError);
        }
    }
}
