package dev.arcana.centrifugo;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Centrifugo's server HTTP API: {@code POST {url}/api/{method}} with a JSON body and the
 * {@code X-API-Key} header, asynchronously. Network errors, timeouts and 5xx are retried with
 * {@link Backoff}; 4xx are not (a bad key or body stays bad). Errors inside a 200 body are
 * {@link ApiReplies}' business.
 */
final class CentrifugoApi {
    static final String API_KEY_HEADER = "X-API-Key";

    private final URI apiBase;
    private final String apiKey;
    private final CentrifugoSettings settings;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Counters counters;

    CentrifugoApi(CentrifugoSettings settings, HttpClient http, ScheduledExecutorService scheduler, Backoff backoff,
                  Counters counters) {
        this.settings = settings;
        this.apiBase = settings.apiBase();
        this.apiKey = settings.apiKey();
        this.http = http;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.counters = counters;
    }

    /** Posts {@code body} to {@code /api/{method}}; never completes exceptionally. */
    CompletableFuture<ApiReply> call(String method, JsonObject body) {
        HttpRequest request = HttpRequest.newBuilder(apiBase.resolve(method))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header(API_KEY_HEADER, apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        CompletableFuture<ApiReply> result = new CompletableFuture<>();
        attempt(request, 0, result);
        return result;
    }

    private void attempt(HttpRequest request, int retry, CompletableFuture<ApiReply> result) {
        counters.requests.increment();
        CompletableFuture<HttpResponse<String>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                retryOrFail(request, retry, result, cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
                return;
            }
            int status = response.statusCode();
            if (status >= 500) {
                retryOrFail(request, retry, result, "HTTP " + status);
            } else if (status != 200) {
                counters.failedRequests.increment();
                result.complete(ApiReply.rejected("HTTP " + status + " from " + request.uri()
                        + (status == 401 ? " (check " + CentrifugoSettings.API_KEY + ")" : "")));
            } else {
                JsonObject json = parse(response.body());
                if (json == null) {
                    counters.failedRequests.increment();
                    result.complete(ApiReply.rejected("HTTP 200 from " + request.uri() + " without a JSON object"));
                } else {
                    result.complete(ApiReply.ok(json));
                }
            }
        });
    }

    private void retryOrFail(HttpRequest request, int retry, CompletableFuture<ApiReply> result, String problem) {
        if (retry >= settings.maxRetries()) {
            counters.failedRequests.increment();
            result.complete(ApiReply.transientFailure(problem + " from " + request.uri() + " after "
                    + (retry + 1) + " attempt(s)"));
            return;
        }
        counters.retries.increment();
        try {
            scheduler.schedule(() -> attempt(request, retry + 1, result), backoff.delayMs(retry), TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            // the executor is shutting down: give up now rather than leave the request hanging
            counters.failedRequests.increment();
            result.complete(ApiReply.transientFailure(problem + "; no retry: " + rejected));
        }
    }

    private static JsonObject parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text == null ? "" : text))) {
            JsonValue value = reader.readValue();
            return value.getValueType() == JsonValue.ValueType.OBJECT ? value.asJsonObject() : null;
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }
}
