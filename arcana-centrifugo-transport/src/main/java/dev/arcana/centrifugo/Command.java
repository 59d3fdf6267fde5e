package dev.arcana.centrifugo;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One command of Centrifugo's server API, as sent to {@code /api/{method}} or inside
 * {@code /api/batch}: {@code publish} (one channel), {@code broadcast} (the same data to several
 * channels) or {@code disconnect} (the connections of a user).
 *
 * @param method   the API method name, e.g. {@code publish}
 * @param body     the request object of that method
 * @param channels the channels the command affects (ordering, resync after a failure)
 * @param messages the publications it makes when it succeeds (one per channel; 0 for disconnect)
 */
public record Command(String method, JsonObject body, List<String> channels, int messages) {

    public Command {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        channels = List.copyOf(channels);
    }

    /** {@code {"channel": ..., "data": ...}}: {@code data} is exactly the push object of the protocol. */
    public static Command publish(String channel, JsonObject data) {
        return new Command("publish", Json.createObjectBuilder().add("channel", channel).add("data", data).build(),
                List.of(channel), 1);
    }

    /** {@code {"channels": [...], "data": ...}}: one request for the same push to many channels. */
    public static Command broadcast(List<String> channels, JsonObject data) {
        if (channels.size() == 1) {
            return publish(channels.get(0), data);
        }
        JsonArrayBuilder names = Json.createArrayBuilder();
        channels.forEach(names::add);
        return new Command("broadcast", Json.createObjectBuilder().add("channels", names).add("data", data).build(),
                channels, channels.size());
    }

    /**
     * {@code {"user": ..., "disconnect": {"code": ..., "reason": ...}}}. {@code channel} is the
     * seance's channel, only used to order the disconnect after the seance's earlier pushes.
     */
    public static Command disconnect(String user, int code, String reason, String channel) {
        JsonObject body = Json.createObjectBuilder()
                .add("user", user)
                .add("disconnect", Json.createObjectBuilder().add("code", code).add("reason", reason))
                .build();
        return new Command("disconnect", body, List.of(channel), 0);
    }

    /** The entry of a batch request: {@code {"publish": {...}}}. */
    public JsonObject asBatchEntry() {
        return Json.createObjectBuilder().add(method, body).build();
    }
}
