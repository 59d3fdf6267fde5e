package dev.arcana.it;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to the example with the demo identity headers. */
final class Http {
    /** Status and parsed JSON body (null when the body is empty). */
    record Reply(int status, JsonObject body) {
    }

    private Http() {
    }

    static Reply call(String method, String path, String body, String... identity) {
        return callAt(ExampleServer.BASE_URL, method, path, body, identity);
    }

    /** A call to another server than the default one (server B). */
    static Reply callAt(java.net.URI base, String method, String path, String body, String... identity) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < identity.length; i += 2) {
            request.header(identity[i], identity[i + 1]);
        }
        try {
            HttpResponse<String> response = ExampleServer.http().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Reply(response.statusCode(), text == null || text.isBlank() ? null : ExampleServer.json(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Identity headers of a demo user. */
    static String[] as(String seance, String user, String workspace) {
        return new String[] {"X-Seance-ID", seance, "X-User-ID", user, "X-Workspace-ID", workspace};
    }

    static String wsUrl(String seance, String user, String workspace) {
        return ExampleServer.BASE_URL.toString().replaceFirst("^http", "ws") + "/arcana/ws?seance=" + seance
                + "&user=" + user + "&workspace=" + workspace;
    }
}
