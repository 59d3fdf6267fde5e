package dev.arcana.websocket;

import dev.arcana.api.ActiveSubscription;
import dev.arcana.api.Arcana;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Identity;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.NotFoundException;
import dev.arcana.api.Snapshot;
import dev.arcana.api.spi.JsonText;
import dev.arcana.engine.diff.JsonSupport;
import dev.arcana.wire.ErrorReferences;
import dev.arcana.wire.WireFormat;
import dev.arcana.wire.WireRequests;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.util.function.Supplier;

/**
 * Answers one client frame of an authenticated connection (PROTOCOL.md, "WebSocket transport"):
 * parses it, calls the engine, and renders the reply with {@link WireFormat}, so that WebSocket and
 * HTTP speak the same JSON and the same error codes. Every outcome is a reply text; nothing is
 * thrown.
 *
 * <table>
 * <caption>Frames</caption>
 * <tr><th>frame</th><th>reply</th></tr>
 * <tr><td>{@code {"id","type":"subscribe","view","params"}}</td>
 * <td>{@code {"reply_to","type":"snapshot",...subscribe data}}</td></tr>
 * <tr><td>{@code {"id","type":"unsubscribe","params_hash","view"?}}</td><td>{@code {"reply_to","type":"ok"}}</td></tr>
 * <tr><td>{@code {"id","type":"sync","views":[...]}}</td><td>{@code {"reply_to","type":"sync_result","views":[...]}}</td></tr>
 * <tr><td>{@code {"id","type":"mutate","action","params"?,"mutation_id"?}}</td>
 * <td>{@code {"reply_to","type":"mutate_ok",...outcome}}, queued after the pushes the mutation caused;
 * the pushes published while it runs are not held back</td></tr>
 * <tr><td>{@code {"id","type":"ping"}}</td><td>{@code {"reply_to","type":"pong"}}</td></tr>
 * <tr><td>{@code {"id","type":"auth",...}} (already authenticated)</td><td>{@code {"reply_to","type":"ok"}}</td></tr>
 * <tr><td>anything invalid</td><td>{@code {"reply_to"?,"type":"error","code","message","error","reason"?}}</td></tr>
 * </table>
 * An error frame carries its text twice: {@code message} (this transport's first field) and
 * {@code error} (the name of HTTP's envelope and of the mutation contract); {@code reason} is the
 * application's code of a refused mutation ({@code conflict}).
 * {@code id} is a non-empty string or an integer, echoed as given in {@code reply_to}; errors found
 * before the id is known (malformed JSON, missing id, oversize frame) carry no {@code reply_to}.
 */
final class FrameDispatcher {
    private static final System.Logger LOG = System.getLogger(FrameDispatcher.class.getName());
    private static final JsonProvider JSON = JsonSupport.provider();
    /** Echoed unknown types are cut to this length. */
    private static final int MAX_ECHO = 64;

    private final Supplier<Arcana> engine;
    private final int maxFrameBytes;

    /**
     * @param engine        the running engine; may throw an {@link ArcanaException} (e.g. {@code not_ready})
     * @param maxFrameBytes the limit quoted in {@code too_large} replies
     */
    FrameDispatcher(Supplier<Arcana> engine, int maxFrameBytes) {
        this.engine = engine;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The {@code auth} frame's parts, when a frame is one. */
    record Auth(JsonValue id, String token) {
    }

    /** The place a reply keeps in its connection's queue. */
    interface ReplyPlace {
        /** A place that ignores the move: for callers without a queue. */
        ReplyPlace FIXED = () -> { };

        /**
         * The reply goes behind the pushes published until it is ready rather than before them
         * (called before a mutation runs: its reply follows the diffs it caused); by default a
         * reply keeps the place of its request, so a snapshot precedes its view's diffs.
         */
        void followPushes();
    }

    /** Answers one complete frame from {@code identity}'s connection, its reply keeping its request's place. */
    String dispatch(Identity identity, String text) {
        return answer(identity, text, ReplyPlace.FIXED);
    }

    /** Answers one complete frame from {@code identity}'s connection; {@code place} is told when the reply moves. */
    String answer(Identity identity, String text, ReplyPlace place) {
        JsonObject frame;
        try {
            frame = parse(text);
        } catch (ArcanaException e) {
            return error(null, e);
        }
        JsonValue id = frame.get("id");
        String idProblem = idProblem(id);
        if (idProblem != null) {
            return error(null, ErrorCode.BAD_REQUEST, idProblem);
        }
        try {
            String type = WireRequests.requiredString(frame, "type");
            return switch (type) {
                case "subscribe" -> subscribe(identity, id, frame);
                case "unsubscribe" -> unsubscribe(identity, id, frame);
                case "sync" -> JsonText.render(reply(id, "sync_result")
                        .add("views", WireFormat.syncEntries(engine().sync(identity, WireRequests.sync(frame))))
                        .build());
                case "mutate" -> mutate(identity, id, frame, place);
                case "ping" -> JsonText.render(reply(id, "pong").build());
                case "auth" -> JsonText.render(reply(id, "ok").build()); // the connection's identity does not change
                default -> throw ArcanaException.badRequest("unknown frame type '" + abbreviate(type) + "'");
            };
        } catch (ArcanaException e) {
            if (e.code() == ErrorCode.INTERNAL) {
                String reference = ErrorReferences.next();
                LOG.log(System.Logger.Level.WARNING, "ARCANA-WS: internal error answering a frame of seance "
                        + identity.seanceId() + ", ref " + reference + ": " + e.getMessage(), e);
                return error(id, ErrorReferences.referenced(e, reference));
            }
            return error(id, e);
        } catch (RuntimeException e) {
            String reference = ErrorReferences.next();
            LOG.log(System.Logger.Level.WARNING, "ARCANA-WS: unexpected error answering a frame of seance "
                    + identity.seanceId() + ", ref " + reference + "; the client is told 'internal'", e);
            return error(id, ErrorCode.INTERNAL, "internal error (ref " + reference + ")");
        }
    }

    /** The reply to a frame over {@code arcana.ws.max-frame-bytes} (not parsed: no {@code reply_to}). */
    String tooLarge() {
        return error(null, ErrorCode.TOO_LARGE, "frame exceeds " + maxFrameBytes + " bytes");
    }

    /** The reply to an {@code auth} frame that authenticated its connection. */
    static String authenticated(JsonValue id) {
        return JsonText.render(reply(id, "ok").build());
    }

    /**
     * The frame as an {@code auth} frame with a non-blank token, or null when it is any other
     * readable object.
     *
     * @throws ArcanaException {@code bad_request} when the frame cannot be read (PROTOCOL.md: the
     *                         connection is closed with 1008 and the message as the reason)
     */
    static Auth auth(String text) {
        JsonObject frame = parse(text);
        JsonValue type = frame.get("type");
        JsonValue token = frame.get("token");
        if (!(type instanceof JsonString t) || !"auth".equals(t.getString())
                || !(token instanceof JsonString s) || s.getString().isBlank()) {
            return null;
        }
        JsonValue id = frame.get("id");
        return new Auth(idProblem(id) == null ? id : null, s.getString());
    }

    private String subscribe(Identity identity, JsonValue id, JsonObject frame) {
        WireRequests.Subscribe request = WireRequests.subscribe(frame);
        Snapshot snapshot = engine().subscribe(identity, request.view(), request.params());
        JsonObjectBuilder reply = reply(id, "snapshot");
        WireFormat.snapshot(snapshot).forEach(reply::add);
        return JsonText.render(reply.build());
    }

    /**
     * Runs a mutation on this (the container's message) thread, like every request; the engine
     * returns once the mutation's pushes are queued on the connection. Its valid request first
     * gives up its reply's place, so the pushes published while the handler runs are not held back,
     * and the reply goes behind those the mutation caused.
     */
    private String mutate(Identity identity, JsonValue id, JsonObject frame, ReplyPlace place) {
        WireRequests.Mutate request = WireRequests.mutateFrame(frame);
        place.followPushes();
        MutationOutcome outcome = engine().mutate(identity, request.action(), request.params(), request.mutationId());
        JsonObjectBuilder reply = reply(id, "mutate_ok");
        WireFormat.mutationOutcome(outcome).forEach(reply::add);
        return JsonText.render(reply.build());
    }

    /** {@code view} is optional here (PROTOCOL.md lists only {@code params_hash}): found from the seance's subscriptions. */
    private String unsubscribe(Identity identity, JsonValue id, JsonObject frame) {
        String paramsHash = WireRequests.requiredString(frame, "params_hash");
        JsonValue view = frame.get("view");
        Arcana arcana = engine();
        String viewKey;
        if (view == null || view == JsonValue.NULL) {
            viewKey = arcana.active(identity).stream()
                    .filter(subscription -> subscription.paramsHash().equals(paramsHash))
                    .map(ActiveSubscription::view)
                    .findFirst()
                    .orElseThrow(() -> new NotFoundException("no subscription with params_hash '"
                            + abbreviate(paramsHash) + "'"));
        } else {
            viewKey = WireRequests.requiredString(frame, "view");
        }
        arcana.unsubscribe(identity, viewKey, paramsHash);
        return JsonText.render(reply(id, "ok").build());
    }

    private Arcana engine() {
        return engine.get();
    }

    private static JsonObject parse(String text) {
        try {
            return WireRequests.parseObject(text);
        } catch (ArcanaException e) {
            // WireRequests speaks of HTTP bodies
            throw new ArcanaException(e.code(), e.getMessage().replace("request body", "frame"));
        }
    }

    private static String idProblem(JsonValue id) {
        if (id == null || id == JsonValue.NULL) {
            return "'id' is required";
        }
        boolean valid = (id instanceof JsonString s && !s.getString().isEmpty())
                || (id instanceof JsonNumber n && n.isIntegral());
        return valid ? null : "'id' must be a non-empty string or an integer";
    }

    private static JsonObjectBuilder reply(JsonValue id, String type) {
        JsonObjectBuilder reply = JSON.createObjectBuilder();
        if (id != null) {
            reply.add("reply_to", id);
        }
        return reply.add("type", type);
    }

    /**
     * Refuses a frame without running it ({@code too_many_requests}), echoing its {@code id} when it
     * has a valid one so that the client can match the refusal to its request.
     */
    String tooManyRequests(String text, int cap) {
        JsonValue id = null;
        try {
            JsonValue candidate = parse(text).get("id");
            id = idProblem(candidate) == null ? candidate : null;
        } catch (RuntimeException e) {
            // not a valid frame: the refusal carries no reply_to
        }
        return error(id, ErrorCode.TOO_MANY_REQUESTS, "more than " + cap
                + " requests waiting for their replies on this connection; read the replies, then retry");
    }

    static String error(JsonValue id, ErrorCode code, String message) {
        return JsonText.render(errorFrame(id, code, message).build());
    }

    /** An engine's or parser's refusal: its code, its message and, for a refused mutation, its reason. */
    static String error(JsonValue id, ArcanaException refusal) {
        JsonObjectBuilder frame = errorFrame(id, refusal.code(), refusal.getMessage());
        WireFormat.reason(refusal).ifPresent(reason -> frame.add("reason", reason));
        return JsonText.render(frame.build());
    }

    private static JsonObjectBuilder errorFrame(JsonValue id, ErrorCode code, String message) {
        String text = message == null ? code.code() : message;
        return reply(id, "error").add("code", code.code()).add("message", text).add("error", text);
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
    }
}
