package dev.arcana.centrifugo.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A real WebSocket client (the JDK's) that records every text frame it receives, in order. */
final class WsFrames implements WebSocket.Listener, AutoCloseable {
    private final List<JsonObject> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static WsFrames connect(URI uri) {
        WsFrames client = new WsFrames();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, client).join();
        return client;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Every frame so far. */
    synchronized List<JsonObject> frames() {
        return List.copyOf(frames);
    }

    /** The server's pushes so far: frames without {@code reply_to}. */
    synchronized List<JsonObject> pushes() {
        return frames.stream().filter(f -> !f.containsKey("reply_to")).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonObject frame = Json.createReader(new StringReader(partial.toString())).readObject();
            partial.setLength(0);
            synchronized (this) {
                frames.add(frame);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
