package dev.arcana.websocket;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Identity;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One WebSocket connection: its identity (from the handshake, or later from an {@code auth}
 * frame), its outbound queue, the assembly of its incoming frames and the timestamps the sweep
 * reads. The container delivers one session's messages one at a time, so the inbound methods are
 * never concurrent with each other; pushes ({@link #push}) arrive from any thread.
 */
final class Connection {
    /** Close code 1008 (VIOLATED_POLICY): no identity. */
    static final int VIOLATED_POLICY = 1008;
    /** Close code 1001 (GOING_AWAY): server shutdown, seance disconnected, idle. */
    static final int GOING_AWAY = 1001;
    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private final String id;
    private final WebSocketHub hub;
    private final OutboundQueue out;
    private final OutboundQueue.Sink sink;
    private final FrameAssembler assembler;
    private final HandshakeIdentityRequest handshake;
    private final long openedAt;
    private volatile Identity identity;
    private volatile long lastReceived;
    private volatile long lastPing;

    Connection(String id, WebSocketHub hub, OutboundQueue.Sink sink, HandshakeIdentityRequest handshake) {
        WebSocketSettings settings = hub.settings();
        this.id = id;
        this.hub = hub;
        this.sink = sink;
        this.handshake = handshake == null ? HandshakeIdentityRequest.EMPTY : handshake;
        this.assembler = new FrameAssembler(settings.maxFrameBytes());
        this.out = new OutboundQueue(sink, settings.queueLimit(), settings.sendTimeoutMs(), hub::now,
                hub.sends(), reason -> hub.shed(this, reason), hub.written());
        this.openedAt = hub.now();
        this.lastReceived = openedAt;
        this.lastPing = openedAt;
    }

    /** One part of a text message (the whole message when {@code last} and nothing came before). */
    void onText(String part, boolean last) {
        lastReceived = hub.now();
        FrameAssembler.Frame frame = assembler.accept(part, last);
        if (frame == null || out.state() != OutboundQueue.State.OPEN) {
            return;
        }
        Identity who = identity;
        if (who == null) {
            authenticate(frame);
            return;
        }
        int cap = hub.settings().maxRequestsInFlight();
        if (out.pendingReplies() >= cap) {
            // refused unrun, the connection stays open; the refusals count against the queue limit,
            // so a client that never reads is still shed
            out.offer(frame.tooLarge() ? hub.dispatcher().tooLarge()
                    : hub.dispatcher().tooManyRequests(frame.text(), cap));
            return;
        }
        // the reply keeps the place of the request: pushes published meanwhile follow it, except
        // when a mutation gives the place up (its reply then follows the pushes it caused)
        OutboundQueue.ReplySlot slot = out.reserve();
        String reply = null;
        try {
            reply = frame.tooLarge() ? hub.dispatcher().tooLarge() : hub.dispatcher().answer(who, frame.text(), slot);
        } finally {
            slot.fill(reply != null ? reply : FrameDispatcher.error(null, ErrorCode.INTERNAL, "internal error"));
        }
    }

    /** A binary message (or its last part): not part of the protocol. */
    void onBinary(boolean last) {
        lastReceived = hub.now();
        if (!last || out.state() != OutboundQueue.State.OPEN) {
            return;
        }
        if (identity == null) {
            close(VIOLATED_POLICY, "authentication required");
            return;
        }
        out.offer(FrameDispatcher.error(null, ErrorCode.BAD_REQUEST, "binary frames are not supported"));
    }

    /** A pong (reply to our heartbeat ping, or unsolicited): the client is alive. */
    void onPong() {
        lastReceived = hub.now();
    }

    /**
     * Queues a push handed to the transport at {@code handedOverNanos}; false when the connection is
     * closed or was shed by this push.
     */
    boolean push(String json, long handedOverNanos) {
        return out.offerPush(json, handedOverNanos);
    }

    /** Closes the connection with {@code code} and forgets it. */
    void close(int code, String reason) {
        out.close(code, reason);
        hub.detach(this);
    }

    /** The first frame of a connection without identity must be {@code auth}; anything else closes it. */
    private void authenticate(FrameAssembler.Frame frame) {
        FrameDispatcher.Auth auth;
        try {
            auth = frame.tooLarge() ? null : FrameDispatcher.auth(frame.text());
        } catch (ArcanaException e) {
            // answered, not ignored until the auth timeout: the reason says what was wrong
            close(VIOLATED_POLICY, closeReason(e.code().code() + ": " + e.getMessage()));
            return;
        }
        if (auth == null) {
            close(VIOLATED_POLICY, "authentication required");
            return;
        }
        Optional<Identity> who;
        try {
            who = hub.resolve(handshake.withToken(auth.token()));
        } catch (ArcanaException e) {
            // the resolver's own answer keeps its code in the reason
            close(VIOLATED_POLICY, closeReason(e.code().code() + ": " + e.getMessage()));
            return;
        }
        if (who.isEmpty()) {
            close(VIOLATED_POLICY, "authentication failed");
            return;
        }
        OutboundQueue.ReplySlot slot = out.reserve();
        if (hub.attach(this, who.get())) {
            slot.fill(FrameDispatcher.authenticated(auth.id()));
        }
    }

    /** {@code text} cut to the 123 UTF-8 bytes a close reason may hold (RFC 6455, 5.5). */
    static String closeReason(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_CLOSE_REASON_BYTES) {
            return text;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_CLOSE_REASON_BYTES - 3) { // room for "…"
                break;
            }
            cut.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return cut.append('…').toString();
    }

    /** Set once, before the connection is attached. */
    void identity(Identity authenticated) {
        this.identity = authenticated;
    }

    Identity identity() {
        return identity;
    }

    String id() {
        return id;
    }

    HandshakeIdentityRequest handshake() {
        return handshake;
    }

    OutboundQueue out() {
        return out;
    }

    OutboundQueue.Sink sink() {
        return sink;
    }

    long openedAt() {
        return openedAt;
    }

    long lastReceived() {
        return lastReceived;
    }

    long lastPing() {
        return lastPing;
    }

    void pinged(long at) {
        lastPing = at;
    }

    @Override
    public String toString() {
        Identity who = identity;
        return "connection " + id + (who == null ? " (not authenticated)" : " of seance " + who.seanceId());
    }
}
