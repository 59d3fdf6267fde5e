package dev.arcana.centrifugo.it;

import static org.awaitility.Awaitility.await;

import dev.arcana.centrifugo.FakeCentrifugo;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The example app twice on this module's Liberty server (see src/test/liberty/server.xml):
 * {@code /ws} with the WebSocket transport, {@code /cf} publishing to the fake Centrifugo server
 * started on {@link #CENTRIFUGO_PORT} ({@link #centrifugo()}) — a faithful local implementation of
 * Centrifugo's server API (no Centrifugo server can be installed here). Requests carry the demo identity's
 * headers.
 */
final class ExampleApps {
    static final URI BASE = URI.create(System.getProperty("arcana.it.baseUrl", "http://localhost:9380") + "/");
    static final int CENTRIFUGO_PORT = Integer.getInteger("arcana.it.centrifugo.port", 19301);
    static final String API_KEY = "it-api-key";
    static final String TOKEN_SECRET = "it-token-secret-of-at-least-32-bytes!";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ExampleApps() {
    }

    private static FakeCentrifugo centrifugo;

    /**
     * The fake Centrifugo server, started once for the module's test classes (closed when the test JVM
     * ends), after which both apps answer. Its publications accumulate: tests read their own channels.
     */
    static synchronized FakeCentrifugo centrifugo() throws IOException {
        if (centrifugo == null) {
            FakeCentrifugo started = FakeCentrifugo.start(CENTRIFUGO_PORT, API_KEY, Set.of("workspace", "views"));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "fake-centrifugo-close"));
            for (String app : List.of("ws", "cf")) {
                await(app + " ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> call("GET", app + "/api/ping", null).status() == 200);
            }
            centrifugo = started;
        }
        return centrifugo;
    }

    record Reply(int status, JsonObject body) {
    }

    /** A request as user ada of the workspace, in the seance given ({@code seanceAndWorkspace}: both or none). */
    static Reply call(String method, String path, String body, String... seanceAndWorkspace) {
        HttpRequest.Builder request = HttpRequest.newBuilder(BASE.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (seanceAndWorkspace.length == 2) {
            request.header("X-Seance-ID", seanceAndWorkspace[0]).header("X-User-ID", "ada")
                    .header("X-Workspace-ID", seanceAndWorkspace[1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonValue json = text == null || text.isBlank() ? null
                    : Json.createReader(new StringReader(text)).readValue();
            return new Reply(response.statusCode(), json instanceof JsonObject o ? o : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
