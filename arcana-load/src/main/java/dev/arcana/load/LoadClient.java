package dev.arcana.load;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One simulated browser tab: a JDK WebSocket to {@code {mount}/ws} with the demo identity in the
 * query string, its subscriptions and the state it builds from frames. Every frame is timestamped
 * on arrival, before parsing. Each connection has its own listener ({@link Link}), so a dropped
 * connection's half-read frame never mixes with the next connection's.
 */
final class LoadClient {
    private final String seance;
    private final String user;
    private final String workspace;
    private final ClientState state;
    private final LongAdder frames;
    private final Map<String, CompletableFuture<Reply>> replies = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Completes when the current socket closes; replaced by each {@link #connect}. */
    private volatile CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile WebSocket socket;
    /** The JDK WebSocket allows one outstanding send: sends are chained. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    LoadClient(String seance, String user, String workspace, ClientState state, LongAdder frames) {
        this.seance = seance;
        this.user = user;
        this.workspace = workspace;
        this.state = state;
        this.frames = frames;
    }

    CompletableFuture<LoadClient> connect(HttpClient http, String wsEndpoint) {
        Link link = new Link();
        closed = link.closed;
        URI uri = URI.create(wsEndpoint + "?seance=" + encode(seance) + "&user=" + encode(user)
                + "&workspace=" + encode(workspace));
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(uri, link)
                .thenApply(ws -> {
                    socket = ws;
                    return this;
                });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A reply frame and when it arrived ({@code nanoTime}, taken before parsing). */
    record Reply(JsonObject frame, long receivedNanos) {
    }

    /** Subscribes to a view; completes with the snapshot reply. */
    CompletableFuture<JsonObject> subscribe(ViewSpec spec) {
        String id = String.valueOf(ids.incrementAndGet());
        state.expect(id, spec);
        JsonObject frame = Jsons.JSON.createObjectBuilder().add("id", id).add("type", "subscribe")
                .add("view", spec.view()).add("params", spec.params()).build();
        return request(id, frame).thenApply(r -> {
            if (!"snapshot".equals(r.frame().getString("type", ""))) {
                throw new IllegalStateException("subscribe of " + seance + " answered " + r.frame());
            }
            return r.frame();
        });
    }

    /**
     * After a drop: connects again with the same seance and sends {@code sync} for every view;
     * completes when the reply has been applied ({@link ClientState#applySync}).
     */
    CompletableFuture<Void> reconnectAndSync(HttpClient http, String wsEndpoint) {
        return connect(http, wsEndpoint).thenCompose(c -> {
            String id = String.valueOf(ids.incrementAndGet());
            return request(id, state.syncRequest(id));
        }).thenAccept(reply -> {
            if (!"sync_result".equals(reply.frame().getString("type", ""))) {
                throw new IllegalStateException("sync of " + seance + " answered " + reply.frame());
            }
        });
    }

    /** Drops the connection at once, as a network failure would (no close frame). */
    void drop() {
        state.dropped();
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        replies.values().forEach(reply -> reply.completeExceptionally(new java.io.IOException("dropped")));
        replies.clear();
        synchronized (this) {
            lastSend = CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Sends a {@code mutate} frame; completes with its reply ({@code mutate_ok} or {@code error}),
     * after the frames queued before it have been applied to this client's state.
     */
    CompletableFuture<Reply> mutate(String action, JsonObject params, String mutationId) {
        String id = String.valueOf(ids.incrementAndGet());
        JsonObject frame = Jsons.JSON.createObjectBuilder().add("id", id).add("type", "mutate").add("action", action)
                .add("params", params).add("mutation_id", mutationId).build();
        return request(id, frame);
    }

    private CompletableFuture<Reply> request(String id, JsonObject frame) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        replies.put(id, reply);
        send(frame.toString()).whenComplete((ws, error) -> {
            if (error != null) {
                replies.remove(id);
                reply.completeExceptionally(error);
            }
        });
        return reply;
    }

    private synchronized CompletableFuture<?> send(String text) {
        lastSend = lastSend.handle((ok, error) -> null).thenCompose(ignored -> socket.sendText(text, true));
        return lastSend;
    }

    /** A whole frame of the current connection. */
    private void onFrame(JsonObject frame, long received) {
        frames.increment();
        String replyTo = frame.containsKey("reply_to") ? frame.get("reply_to").toString().replace("\"", "") : null;
        if (replyTo != null) {
            if ("snapshot".equals(frame.getString("type", ""))) {
                state.applySnapshot(replyTo, frame, received);
            } else if ("sync_result".equals(frame.getString("type", ""))) {
                state.applySync(frame, received);
            }
            CompletableFuture<Reply> reply = replies.remove(replyTo);
            if (reply != null) {
                reply.complete(new Reply(frame, received));
            }
        } else {
            state.applyPush(frame, received);
        }
    }

    /** The listener of one connection: its partial frame and its close. */
    private final class Link implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long received = System.nanoTime();
            partial.append(data);
            if (last) {
                JsonObject frame = Jsons.parse(partial);
                partial.setLength(0);
                onFrame(frame, received);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    boolean isOpen() {
        return socket != null && !closed.isDone();
    }

    String workspace() {
        return workspace;
    }

    ClientState state() {
        return state;
    }

    void close() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }
}
