package dev.arcana.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that records every text frame and the close it got. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private final boolean autoRead;
    private WebSocket socket;

    private WsClient(boolean autoRead) {
        this.autoRead = autoRead;
    }

    static WsClient connect(String url) {
        return connect(url, true);
    }

    /** With {@code autoRead} false the client reads nothing until {@link #read(long)}: a slow consumer. */
    static WsClient connect(String url, boolean autoRead) {
        return connect(url, autoRead, Map.of());
    }

    /** A handshake carrying {@code headers} (e.g. {@code Authorization}). */
    static WsClient connect(String url, boolean autoRead, Map<String, String> headers) {
        WsClient client = new WsClient(autoRead);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(URI.create(url), client).join();
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (autoRead) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            // Frames too large for the JSON parser's limits are only recorded by size.
            frames.add(partial.length() > 1_000_000
                    ? Json.createObjectBuilder().add("type", "oversized").add("length", partial.length()).build()
                    : Json.createReader(new StringReader(partial.toString())).readObject());
            partial.setLength(0);
        }
        if (autoRead) {
            webSocket.request(1);
        }
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

    void read(long frames) {
        socket.request(frames);
    }

    /** Sends a frame with a fresh id and returns the id. */
    String send(JsonObject frame) {
        String id = String.valueOf(ids.incrementAndGet());
        socket.sendText(Json.createObjectBuilder(frame).add("id", id).build().toString(), true).join();
        return id;
    }

    boolean isOpenForSending() {
        return !socket.isOutputClosed() && !closed.isDone();
    }

    /** Sends a frame unless the connection is closed meanwhile; returns whether it was sent. */
    boolean trySend(JsonObject frame) {
        try {
            send(frame);
            return true;
        } catch (java.util.concurrent.CompletionException e) {
            return false;
        }
    }

    void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends a frame and waits for its reply. */
    JsonObject request(JsonObject frame) {
        String id = send(frame);
        return await(f -> id.equals(f.getString("reply_to", null)), Duration.ofSeconds(5));
    }

    /** The first not yet consumed frame matching the predicate, waiting up to the timeout. */
    JsonObject await(Predicate<JsonObject> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            for (JsonObject frame : seen) {
                if (matching.test(frame)) {
                    seen.remove(frame);
                    return frame;
                }
            }
        }
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
                if (frame == null) {
                    throw new AssertionError("no matching frame within " + timeout + "; other frames: " + pushes());
                }
                if (matching.test(frame)) {
                    return frame;
                }
                synchronized (seen) {
                    seen.add(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Frames received and not consumed by {@link #await}, after a ping round trip flushed the queue. */
    List<JsonObject> drain() {
        request(Json.createObjectBuilder().add("type", "ping").build());
        synchronized (seen) {
            frames.drainTo(seen);
            List<JsonObject> copy = new ArrayList<>(seen);
            seen.clear();
            return copy;
        }
    }

    private List<JsonObject> pushes() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    /** Every frame received so far and not consumed by {@link #await}. */
    List<JsonObject> received() {
        synchronized (seen) {
            frames.drainTo(seen);
            return new ArrayList<>(seen);
        }
    }

    int awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
