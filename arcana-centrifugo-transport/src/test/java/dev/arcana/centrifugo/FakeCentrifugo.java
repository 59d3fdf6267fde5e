package dev.arcana.centrifugo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A faithful local implementation of the published API of Centrifugo's server HTTP API (v5/v6),
 * for tests and benchmarks: no Centrifugo server can be installed here. It serves
 * {@code POST /api/publish}, {@code /api/broadcast}, {@code /api/batch} and {@code /api/disconnect}
 * on the loopback interface, checks what the real server checks — path, method, the
 * {@code X-API-Key} header (or {@code Authorization: apikey ...}), a JSON object body, required
 * fields ({@code 107 bad request} in a 200 body when missing), the channel's namespace
 * ({@code 102 unknown channel} when not configured) — and answers with the documented shapes:
 * {@code {"result": {}}}, {@code {"result": {"responses": [...]}}} for broadcast,
 * {@code {"replies": [{"publish": {}}, {"error": {...}}]}} for batch, and
 * {@code {"error": {"code", "message"}}}. Accepted publications and disconnects are recorded in
 * order; every request is recorded with its headers and body.
 *
 * <p>Faults on demand: the next n requests answered with an HTTP status (e.g. 503), delayed (for
 * client timeouts), or answered 200 with a top-level error; a channel refused inside 200 bodies.
 */
public final class FakeCentrifugo implements AutoCloseable {

    /** One HTTP request as received. */
    public record Request(String httpMethod, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }

        public JsonObject json() {
            return parse(body);
        }
    }

    /** An accepted publication: its channel and its {@code data}. */
    public record Publication(String channel, JsonObject data) {
    }

    /** An accepted disconnect request. */
    public record Disconnect(String user, JsonObject body) {
    }

    private record Fault(int status, Duration delay, JsonObject error) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String apiKey;
    private final Set<String> namespaces;
    private final List<Request> requests = new ArrayList<>();
    private final List<Publication> publications = new ArrayList<>();
    private final List<Disconnect> disconnects = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Map<String, JsonObject> refusedChannels = new ConcurrentHashMap<>();
    private final AtomicInteger handled = new AtomicInteger();

    private FakeCentrifugo(HttpServer server, ExecutorService executor, String apiKey, Set<String> namespaces) {
        this.server = server;
        this.executor = executor;
        this.apiKey = apiKey;
        this.namespaces = Set.copyOf(namespaces);
    }

    /**
     * Starts on 127.0.0.1:{@code port} (0: an ephemeral port).
     *
     * @param namespaces channel namespaces configured on this "server" ({@code ""} allows channels without one)
     */
    public static FakeCentrifugo start(int port, String apiKey, Set<String> namespaces) throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // ~40 ms per response, which would measure TCP timers instead of the transport (read once per JVM).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "fake-centrifugo");
            thread.setDaemon(true);
            return thread;
        });
        FakeCentrifugo fake = new FakeCentrifugo(server, executor, apiKey, namespaces);
        server.createContext("/", fake::handle);
        server.setExecutor(executor);
        server.start();
        return fake;
    }

    /** The base URL to configure as {@code arcana.centrifugo.url}, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- faults ----

    /** The next {@code count} requests are answered with {@code status} and an empty body, not processed. */
    public synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(status, Duration.ZERO, null));
        }
    }

    /** The next {@code count} requests are processed only after {@code delay} (longer than the client's timeout: lost). */
    public synchronized void delayNext(int count, Duration delay) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(200, delay, null));
        }
    }

    /** The next {@code count} requests are answered 200 {@code {"error": {code, message}}}, not processed. */
    public synchronized void errorNext(int count, int code, String message) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(200, Duration.ZERO, error(code, message)));
        }
    }

    /** Publications to {@code channel} are refused with this error in the 200 body, until {@link #reset}. */
    public void refuseChannel(String channel, int code, String message) {
        refusedChannels.put(channel, error(code, message));
    }

    /** Forgets the recordings and the faults. */
    public synchronized void reset() {
        requests.clear();
        publications.clear();
        disconnects.clear();
        faults.clear();
        refusedChannels.clear();
        handled.set(0);
    }

    // ---- recordings ----

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Publication> publications() {
        return List.copyOf(publications);
    }

    public synchronized List<Publication> publicationsTo(String channel) {
        return publications.stream().filter(p -> p.channel().equals(channel)).toList();
    }

    public synchronized List<Disconnect> disconnects() {
        return List.copyOf(disconnects);
    }

    /** Requests answered so far (including faults). */
    public int handled() {
        return handled.get();
    }

    // ---- the API ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            Request request = new Request(exchange.getRequestMethod(), path,
                    Map.copyOf(exchange.getRequestHeaders()), body);
            Fault fault;
            synchronized (this) {
                requests.add(request);
                fault = faults.poll();
            }
            if (fault != null && !fault.delay().isZero()) {
                sleep(fault.delay());
                fault = null; // processed normally, just late
            }
            if (fault != null) {
                if (fault.error() != null) {
                    respond(exchange, 200, Json.createObjectBuilder().add("error", fault.error()).build());
                } else {
                    respond(exchange, fault.status(), null);
                }
                return;
            }
            if (!path.startsWith("/api/")) {
                respond(exchange, 404, null);
                return;
            }
            String method = path.substring("/api/".length());
            if (!Set.of("publish", "broadcast", "batch", "disconnect").contains(method)) {
                respond(exchange, 404, null);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, null);
                return;
            }
            if (!authorised(request, exchange.getRequestURI().getQuery())) {
                respond(exchange, 401, null);
                return;
            }
            JsonObject json = parse(body);
            if (json == null) {
                respond(exchange, 400, null);
                return;
            }
            JsonObject reply;
            synchronized (this) {
                reply = "batch".equals(method) ? batch(json) : wrap(command(method, json));
            }
            respond(exchange, 200, reply);
        } finally {
            handled.incrementAndGet();
        }
    }

    private boolean authorised(Request request, String query) {
        String key = request.header("X-API-Key");
        String authorization = request.header("Authorization");
        return apiKey.equals(key) || ("apikey " + apiKey).equals(authorization)
                || (query != null && query.contains("api_key=" + apiKey));
    }

    /** {@code {"replies": [...]}}: one reply per command, in order, each {@code {method: result}} or {@code {"error"}}. */
    private JsonObject batch(JsonObject json) {
        JsonValue commands = json.get("commands");
        if (!(commands instanceof JsonArray array)) {
            return Json.createObjectBuilder().add("error", error(107, "bad request")).build();
        }
        JsonValue parallel = json.get("parallel");
        if (parallel != null && parallel.getValueType() != JsonValue.ValueType.TRUE
                && parallel.getValueType() != JsonValue.ValueType.FALSE) {
            return Json.createObjectBuilder().add("error", error(107, "bad request")).build();
        }
        JsonArrayBuilder replies = Json.createArrayBuilder();
        for (JsonValue entry : array) {
            if (!(entry instanceof JsonObject command) || command.size() != 1) {
                replies.add(Json.createObjectBuilder().add("error", error(107, "bad request")));
                continue;
            }
            String method = command.keySet().iterator().next();
            JsonValue body = command.get(method);
            Result result = Set.of("publish", "broadcast", "disconnect").contains(method) && body instanceof JsonObject o
                    ? command(method, o) : new Result(null, error(107, "bad request"));
            replies.add(result.error() != null ? Json.createObjectBuilder().add("error", result.error())
                    : Json.createObjectBuilder().add(method, result.result()));
        }
        return Json.createObjectBuilder().add("replies", replies).build();
    }

    private record Result(JsonObject result, JsonObject error) {
    }

    private static JsonObject wrap(Result result) {
        return result.error() != null ? Json.createObjectBuilder().add("error", result.error()).build()
                : Json.createObjectBuilder().add("result", result.result()).build();
    }

    private Result command(String method, JsonObject body) {
        switch (method) {
            case "publish": {
                String channel = text(body, "channel");
                if (channel == null || !body.containsKey("data")) {
                    return new Result(null, error(107, "bad request"));
                }
                JsonObject refused = refusal(channel);
                if (refused != null) {
                    return new Result(null, refused);
                }
                publications.add(new Publication(channel, dataObject(body)));
                return new Result(JsonValue.EMPTY_JSON_OBJECT, null);
            }
            case "broadcast": {
                JsonValue channels = body.get("channels");
                if (!(channels instanceof JsonArray list) || list.isEmpty() || !body.containsKey("data")) {
                    return new Result(null, error(107, "bad request"));
                }
                JsonArrayBuilder responses = Json.createArrayBuilder();
                for (JsonValue value : list) {
                    String channel = value.getValueType() == JsonValue.ValueType.STRING
                            ? ((jakarta.json.JsonString) value).getString() : null;
                    JsonObject refused = channel == null || channel.isEmpty() ? error(107, "bad request")
                            : refusal(channel);
                    if (refused != null) {
                        responses.add(Json.createObjectBuilder().add("error", refused));
                    } else {
                        publications.add(new Publication(channel, dataObject(body)));
                        responses.add(Json.createObjectBuilder().add("result", JsonValue.EMPTY_JSON_OBJECT));
                    }
                }
                return new Result(Json.createObjectBuilder().add("responses", responses).build(), null);
            }
            case "disconnect": {
                String user = text(body, "user");
                JsonValue disconnect = body.get("disconnect");
                if (user == null || (disconnect != null && !(disconnect instanceof JsonObject d
                        && d.get("code") instanceof jakarta.json.JsonNumber && d.containsKey("reason")))) {
                    return new Result(null, error(107, "bad request"));
                }
                disconnects.add(new Disconnect(user, body));
                return new Result(JsonValue.EMPTY_JSON_OBJECT, null);
            }
            default:
                return new Result(null, error(107, "bad request"));
        }
    }

    /** An error for a channel: refused on demand, or in a namespace this server does not have. */
    private JsonObject refusal(String channel) {
        JsonObject refused = refusedChannels.get(channel);
        if (refused != null) {
            return refused;
        }
        int colon = channel.indexOf(':');
        String namespace = colon < 0 ? "" : channel.substring(0, colon);
        return namespaces.contains(namespace) ? null : error(102, "unknown channel");
    }

    private static JsonObject dataObject(JsonObject body) {
        JsonValue data = body.get("data");
        return data instanceof JsonObject o ? o : Json.createObjectBuilder().add("value", data).build();
    }

    private static String text(JsonObject body, String key) {
        JsonValue value = body.get(key);
        return value != null && value.getValueType() == JsonValue.ValueType.STRING
                && !((jakarta.json.JsonString) value).getString().isEmpty()
                ? ((jakarta.json.JsonString) value).getString() : null;
    }

    static JsonObject error(int code, String message) {
        JsonObjectBuilder error = Json.createObjectBuilder().add("code", code).add("message", message);
        return error.build();
    }

    static JsonObject parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text == null ? "" : text))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject o ? o : null;
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }

    private static void respond(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
