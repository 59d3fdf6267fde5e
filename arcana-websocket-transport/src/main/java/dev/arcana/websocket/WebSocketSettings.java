package dev.arcana.websocket;

import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.InvalidSettingsException;
import dev.arcana.ee.SettingsReader;
import dev.arcana.ee.SettingsSection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The WebSocket transport's knobs, read in Arcana's one settings pass ({@link Section}, through
 * {@code ArcanaSettings}): every bad key of every module is named, with its value, in one
 * {@link InvalidSettingsException} when the deployment is validated.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code arcana.mount}</td><td>{@code /arcana}</td><td>the endpoint lives at {@code {mount}/ws}
 * (shared with the HTTP endpoints)</td></tr>
 * <tr><td>{@code arcana.ws.queue-limit}</td><td>1000</td><td>messages queued per connection; beyond,
 * the connection is shed ({@code resync}, close 1013)</td></tr>
 * <tr><td>{@code arcana.ws.max-requests-in-flight}</td><td>64</td><td>requests of one connection whose
 * replies are not yet on the wire; further requests are answered {@code too_many_requests} without
 * running, and the connection stays open</td></tr>
 * <tr><td>{@code arcana.ws.max-frame-bytes}</td><td>65536</td><td>largest client frame (UTF-8 bytes);
 * larger ones are answered {@code too_large}</td></tr>
 * <tr><td>{@code arcana.ws.grace-period-ms}</td><td>30000</td><td>how long a seance's subscriptions
 * outlive its last connection; 0 releases at once</td></tr>
 * <tr><td>{@code arcana.ws.heartbeat-ms}</td><td>25000</td><td>WebSocket ping interval; a connection
 * silent for {@value #IDLE_HEARTBEATS} intervals is closed; 0 disables both</td></tr>
 * <tr><td>{@code arcana.ws.send-timeout-ms}</td><td>10000</td><td>longest wait for one send to
 * complete; then the connection is closed with 1013</td></tr>
 * <tr><td>{@code arcana.ws.auth-timeout-ms}</td><td>10000</td><td>how long a connection without a
 * handshake identity may take to send its {@code auth} frame (then 1008)</td></tr>
 * <tr><td>{@code arcana.ws.allowed-origins}</td><td>(any)</td><td>comma-separated browser origins
 * allowed to connect, e.g. {@code https://app.example.com}; empty allows every origin</td></tr>
 * </table>
 *
 * <p>{@code arcana.mount} is parsed once, by {@code ArcanaSettings}, and handed in. Values are read
 * as strings (an empty value counts as unset, as in MicroProfile Config); tests build settings from
 * a map ({@link #of(Map)}), without a Config implementation.
 */
public final class WebSocketSettings {

    public static final String QUEUE_LIMIT = "arcana.ws.queue-limit";
    public static final String MAX_FRAME_BYTES = "arcana.ws.max-frame-bytes";
    public static final String MAX_REQUESTS_IN_FLIGHT = "arcana.ws.max-requests-in-flight";
    public static final String GRACE_PERIOD_MS = "arcana.ws.grace-period-ms";
    public static final String HEARTBEAT_MS = "arcana.ws.heartbeat-ms";
    public static final String SEND_TIMEOUT_MS = "arcana.ws.send-timeout-ms";
    public static final String AUTH_TIMEOUT_MS = "arcana.ws.auth-timeout-ms";
    public static final String ALLOWED_ORIGINS = "arcana.ws.allowed-origins";

    /** The endpoint's path below the mount. */
    public static final String ENDPOINT_SUFFIX = "/ws";
    /** A connection from which nothing (frame or pong) arrived for this many heartbeats is closed. */
    public static final int IDLE_HEARTBEATS = 3;

    private final String mount;
    private final int queueLimit;
    private final int maxFrameBytes;
    private final int maxRequestsInFlight;
    private final long gracePeriodMs;
    private final long heartbeatMs;
    private final long sendTimeoutMs;
    private final long authTimeoutMs;
    private final Set<String> allowedOrigins;
    private final Map<String, String> effective;

    /** Reads the {@code arcana.ws.*} keys through {@code reader}; problems are recorded there. */
    public WebSocketSettings(SettingsReader reader, String mount) {
        this.mount = Objects.requireNonNull(mount, "mount");
        queueLimit = (int) reader.number(QUEUE_LIMIT, 1_000, 1, 1_000_000);
        maxFrameBytes = (int) reader.number(MAX_FRAME_BYTES, 65_536, 256, 16L * 1024 * 1024);
        maxRequestsInFlight = (int) reader.number(MAX_REQUESTS_IN_FLIGHT, 64, 1, 1_000_000);
        gracePeriodMs = reader.number(GRACE_PERIOD_MS, 30_000, 0, 86_400_000);
        heartbeatMs = heartbeat(reader, HEARTBEAT_MS, 25_000, 100, 3_600_000);
        sendTimeoutMs = reader.number(SEND_TIMEOUT_MS, 10_000, 100, 600_000);
        authTimeoutMs = reader.number(AUTH_TIMEOUT_MS, 10_000, 100, 600_000);
        allowedOrigins = origins(reader, ALLOWED_ORIGINS);
        effective = reader.effective("arcana.ws.");
    }

    /**
     * Settings from raw values (tests, tools), {@code arcana.mount} included; absent keys take their
     * defaults.
     *
     * @throws InvalidSettingsException naming every key with an invalid value
     */
    public static WebSocketSettings of(Map<String, String> values) {
        return SettingsReader.validated(values,
                reader -> new WebSocketSettings(reader, reader.mount(ArcanaSettings.MOUNT, ArcanaSettings.DEFAULT_MOUNT)));
    }

    /** Defaults only. */
    public static WebSocketSettings defaults() {
        return of(Map.of());
    }

    /** {@code arcana.mount}: starts with '/', no trailing '/'. */
    public String mount() {
        return mount;
    }

    /** The endpoint's path relative to the context root, {@code {mount}/ws}. */
    public String endpointPath() {
        return mount + ENDPOINT_SUFFIX;
    }

    public int queueLimit() {
        return queueLimit;
    }

    /** {@code arcana.ws.max-requests-in-flight}: replies a connection may have waiting before requests are refused. */
    public int maxRequestsInFlight() {
        return maxRequestsInFlight;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public long gracePeriodMs() {
        return gracePeriodMs;
    }

    /** 0 when heartbeats (and the idle close) are off. */
    public long heartbeatMs() {
        return heartbeatMs;
    }

    /** Silence after which a connection is closed; 0 when heartbeats are off. */
    public long idleTimeoutMs() {
        return heartbeatMs * IDLE_HEARTBEATS;
    }

    /**
     * The idle timeout to give a session whose container closes it after {@code containersMs} of silence
     * (0: never), or empty to leave the container's. The sweep closes silent connections itself, so a
     * container's own idle close must not come first: a shorter positive one is raised to one heartbeat
     * past ours. A container without one is left alone: Tyrus (Payara) closes a session at once, now and
     * then, when its timeout is raised from 0 while an idle check scheduled under 0 is about to run.
     */
    public OptionalLong containerIdleTimeoutMs(long containersMs) {
        long backstop = idleTimeoutMs() + heartbeatMs;
        return idleTimeoutMs() > 0 && containersMs > 0 && containersMs < backstop
                ? OptionalLong.of(backstop) : OptionalLong.empty();
    }

    public long sendTimeoutMs() {
        return sendTimeoutMs;
    }

    public long authTimeoutMs() {
        return authTimeoutMs;
    }

    /** Lower-cased origins; empty means any. */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Whether a handshake's {@code Origin} may connect; requests without one (non-browser clients) may. */
    public boolean isOriginAllowed(String origin) {
        return allowedOrigins.isEmpty() || origin == null || origin.isBlank()
                || allowedOrigins.contains(origin.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * How often the transport checks its connections (heartbeats, idle, send and auth deadlines):
     * half the shortest of those intervals, at least 50 ms.
     */
    public long sweepIntervalMs() {
        long shortest = Math.min(sendTimeoutMs, authTimeoutMs);
        if (heartbeatMs > 0) {
            shortest = Math.min(shortest, heartbeatMs);
        }
        return Math.max(50, shortest / 2);
    }

    /** Every key with its effective value, e.g. {@code arcana.ws.queue-limit=1000}. */
    public String describe() {
        StringJoiner joiner = new StringJoiner(", ");
        effective.forEach((key, value) -> joiner.add(key + "=" + value));
        return joiner.toString();
    }

    @Override
    public String toString() {
        return "WebSocketSettings[" + describe() + "]";
    }

    /** 0 turns heartbeats off; otherwise an interval in [min, max]. */
    private static long heartbeat(SettingsReader reader, String key, long defaultValue, long min, long max) {
        if (reader.value(key).filter("0"::equals).isPresent()) {
            reader.effective(key, "0 (off)");
            return 0;
        }
        return reader.number(key, defaultValue, min, max, ", or 0 to disable heartbeats");
    }

    /** Comma-separated {@code scheme://host[:port]} origins; empty means any. */
    private static Set<String> origins(SettingsReader reader, String key) {
        Optional<String> raw = reader.value(key);
        if (raw.isEmpty()) {
            reader.effective(key, "(any)");
            return Set.of();
        }
        Set<String> origins = new TreeSet<>();
        for (String part : raw.get().split(",")) {
            String origin = part.trim().toLowerCase(Locale.ROOT);
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.matches("https?://[^/\\s]+")) {
                reader.problem(key + " holds '" + part.trim() + "': an origin is scheme://host[:port], "
                        + "e.g. https://app.example.com");
                continue;
            }
            origins.add(origin);
        }
        reader.effective(key, String.join(",", origins));
        return Set.copyOf(origins);
    }

    /** This transport's share of the settings pass (registered in META-INF/services/dev.arcana.ee.SettingsSection). */
    public static final class Section implements SettingsSection<WebSocketSettings> {
        @Override
        public Class<WebSocketSettings> type() {
            return WebSocketSettings.class;
        }

        /** Read whichever transport is selected: the keys have defaults, and a typo is worth knowing now. */
        @Override
        public Optional<WebSocketSettings> read(SettingsReader reader, Shared shared) {
            return Optional.of(new WebSocketSettings(reader, shared.mount()));
        }
    }
}
