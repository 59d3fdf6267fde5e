package dev.arcana.it;

import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The example app on the server that the build started for this module (see pom.xml: pre-integration-test), at
 * {@code arcana.it.baseUrl} (default {@code http://localhost:9180}). The same test classes run on Open Liberty
 * (this module) and, those tagged {@value #PORTABLE}, on Payara Micro and WildFly (their modules scan this module's
 * test jar).
 */
public final class ExampleServer {

    /** The tag of the test classes that every server kind runs. */
    public static final String PORTABLE = "portable";

    public static final URI BASE_URL = URI.create(System.getProperty("arcana.it.baseUrl", "http://localhost:9180"));

    /** The IT server's embedded PostgreSQL (superuser postgres, any password), for tests that check rows directly. */
    public static final String DB_URL = "jdbc:postgresql://localhost:" + System.getProperty("arcana.it.db.port", "15433")
            + "/postgres";

    /** The server's log: {@code arcana.it.serverLog}, else Liberty's messages.log in {@code arcana.it.serverDir}. */
    public static final Path SERVER_LOG = Path.of(System.getProperty("arcana.it.serverLog", Path.of(System.getProperty(
            "arcana.it.serverDir", "target/liberty/wlp/usr/servers/arcana-it")).resolve("logs/messages.log").toString()));

    /**
     * The MicroProfile Health readiness URL: {@code /health/ready} on the application's port on Liberty and Payara,
     * on the management port on WildFly ({@code arcana.it.healthReadyUrl}).
     */
    public static final URI HEALTH_READY = URI.create(System.getProperty("arcana.it.healthReadyUrl",
            BASE_URL.resolve("/health/ready").toString()));

    /**
     * HTTP/1.1, as browsers speak to a plain-http server (they never upgrade to cleartext HTTP/2). The JDK client's
     * default, an h2c upgrade, hangs on Payara Micro when the server answers a body larger than HTTP/2's 64 KiB flow
     * control window early (413) on a reused connection: the client waits for a window update that never comes.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static volatile boolean ready;

    private ExampleServer() {
    }

    /** Waits (at most 60 s, polling) until {@code /api/ping} answers ok: the app is up and its database reachable. */
    public static void awaitReady() {
        if (ready) {
            return;
        }
        await("the example app at " + BASE_URL + "api/ping")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    HttpResponse<String> response = get("/api/ping");
                    return response.statusCode() == 200 && json(response.body()).getBoolean("ok", false);
                });
        ready = true;
    }

    public static URI uri(String path) {
        return BASE_URL.resolve(path);
    }

    public static HttpClient http() {
        return HTTP;
    }

    public static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static JsonObject json(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }
}
