package dev.arcana.centrifugo;

import dev.arcana.ee.InvalidSettingsException;
import dev.arcana.ee.SettingsReader;
import dev.arcana.ee.SettingsSection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The Centrifugo transport's knobs, read in Arcana's one settings pass ({@link Section}, through
 * {@code ArcanaSettings}) when {@code arcana.transport=centrifugo}: every bad key of every module
 * is named, with its value, in one {@link InvalidSettingsException} when the deployment is
 * validated.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code arcana.centrifugo.url}</td><td>(required)</td><td>Centrifugo's base URL, e.g.
 * {@code http://centrifugo:8000}; the server API is at {@code {url}/api/...}</td></tr>
 * <tr><td>{@code arcana.centrifugo.api-key}</td><td>(required)</td><td>{@code http_api.key} of Centrifugo,
 * sent as {@code X-API-Key}</td></tr>
 * <tr><td>{@code arcana.centrifugo.connect-timeout-ms}</td><td>2000</td><td>TCP connect timeout</td></tr>
 * <tr><td>{@code arcana.centrifugo.request-timeout-ms}</td><td>5000</td><td>longest wait for one API
 * response; a timeout counts as a network error (retried)</td></tr>
 * <tr><td>{@code arcana.centrifugo.max-retries}</td><td>3</td><td>retries of one request after a network
 * error or a 5xx; 0 disables retries</td></tr>
 * <tr><td>{@code arcana.centrifugo.retry-base-ms}</td><td>100</td><td>first backoff; doubled on every
 * retry, with jitter (a random 50-100 % of it)</td></tr>
 * <tr><td>{@code arcana.centrifugo.retry-max-ms}</td><td>5000</td><td>longest backoff</td></tr>
 * <tr><td>{@code arcana.centrifugo.max-in-flight}</td><td>4</td><td>API requests under way at once</td></tr>
 * <tr><td>{@code arcana.centrifugo.queue-limit}</td><td>1000</td><td>invalidations waiting to be sent;
 * beyond, new ones are dropped and their recipients get {@code resync}</td></tr>
 * <tr><td>{@code arcana.centrifugo.batch}</td><td>true</td><td>one {@code /api/batch} call per invalidation;
 * false sends one {@code /api/publish} call per message (for comparison)</td></tr>
 * <tr><td>{@code arcana.centrifugo.workspace-namespace}</td><td>{@code workspace}</td><td>namespace of the
 * {@code table_diff} channels {@code {ns}:{workspaceId}}</td></tr>
 * <tr><td>{@code arcana.centrifugo.views-namespace}</td><td>{@code views}</td><td>namespace of the
 * {@code view_diff} channels {@code {ns}:{seanceId}}</td></tr>
 * <tr><td>{@code arcana.centrifugo.token-secret}</td><td>(none)</td><td>HMAC secret of Centrifugo's
 * {@code client.token.hmac_secret_key}, at least 32 bytes; without it no tokens are issued</td></tr>
 * <tr><td>{@code arcana.centrifugo.token-ttl-seconds}</td><td>3600</td><td>lifetime of issued tokens</td></tr>
 * </table>
 */
public final class CentrifugoSettings {

    public static final String URL = "arcana.centrifugo.url";
    public static final String API_KEY = "arcana.centrifugo.api-key";
    public static final String CONNECT_TIMEOUT_MS = "arcana.centrifugo.connect-timeout-ms";
    public static final String REQUEST_TIMEOUT_MS = "arcana.centrifugo.request-timeout-ms";
    public static final String MAX_RETRIES = "arcana.centrifugo.max-retries";
    public static final String RETRY_BASE_MS = "arcana.centrifugo.retry-base-ms";
    public static final String RETRY_MAX_MS = "arcana.centrifugo.retry-max-ms";
    public static final String MAX_IN_FLIGHT = "arcana.centrifugo.max-in-flight";
    public static final String QUEUE_LIMIT = "arcana.centrifugo.queue-limit";
    public static final String BATCH = "arcana.centrifugo.batch";
    public static final String WORKSPACE_NAMESPACE = "arcana.centrifugo.workspace-namespace";
    public static final String VIEWS_NAMESPACE = "arcana.centrifugo.views-namespace";
    public static final String TOKEN_SECRET = "arcana.centrifugo.token-secret";
    public static final String TOKEN_TTL_SECONDS = "arcana.centrifugo.token-ttl-seconds";

    /** RFC 7518 §3.2: an HS256 key must have at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    /** Centrifugo namespace names: letters, digits, '_' and '-'. */
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final URI apiBase;
    private final String apiKey;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final long retryBaseMs;
    private final long retryMaxMs;
    private final int maxInFlight;
    private final int queueLimit;
    private final boolean batch;
    private final String workspaceNamespace;
    private final String viewsNamespace;
    private final byte[] tokenSecret;
    private final Duration tokenTtl;
    private final Map<String, String> effective;

    /** Reads the {@code arcana.centrifugo.*} keys through {@code reader}; problems are recorded there. */
    public CentrifugoSettings(SettingsReader reader) {
        apiBase = apiBase(reader);
        apiKey = reader.value(API_KEY).orElse(null);
        if (apiKey == null) {
            reader.problem(API_KEY + " is required (Centrifugo's http_api.key)");
        }
        reader.effective(API_KEY, "(set)");
        connectTimeout = Duration.ofMillis(reader.number(CONNECT_TIMEOUT_MS, 2_000, 10, 600_000));
        requestTimeout = Duration.ofMillis(reader.number(REQUEST_TIMEOUT_MS, 5_000, 10, 600_000));
        maxRetries = (int) reader.number(MAX_RETRIES, 3, 0, 100);
        retryBaseMs = reader.number(RETRY_BASE_MS, 100, 1, 600_000);
        retryMaxMs = reader.number(RETRY_MAX_MS, 5_000, 1, 3_600_000);
        if (retryMaxMs < retryBaseMs) {
            reader.problem(RETRY_MAX_MS + "=" + retryMaxMs + " must not be below " + RETRY_BASE_MS + "=" + retryBaseMs);
        }
        maxInFlight = (int) reader.number(MAX_IN_FLIGHT, 4, 1, 1_000);
        queueLimit = (int) reader.number(QUEUE_LIMIT, 1_000, 1, 1_000_000);
        batch = Boolean.parseBoolean(reader.choice(BATCH, "true", java.util.Set.of("true", "false")));
        workspaceNamespace = namespace(reader, WORKSPACE_NAMESPACE, "workspace");
        viewsNamespace = namespace(reader, VIEWS_NAMESPACE, "views");
        if (workspaceNamespace.equals(viewsNamespace)) {
            reader.problem(WORKSPACE_NAMESPACE + " and " + VIEWS_NAMESPACE + " must differ (both '"
                    + viewsNamespace + "'): a seance id could name a workspace's channel");
        }
        tokenSecret = secret(reader);
        tokenTtl = Duration.ofSeconds(reader.number(TOKEN_TTL_SECONDS, 3_600, 10, 31L * 86_400));
        effective = reader.effective("arcana.centrifugo.");
    }

    /**
     * Settings from raw values (tests, tools); absent keys take their defaults.
     *
     * @throws InvalidSettingsException naming every key with an invalid or missing value
     */
    public static CentrifugoSettings of(Map<String, String> values) {
        return SettingsReader.validated(values, CentrifugoSettings::new);
    }

    /** {@code {url}/api/}: method paths are resolved against it ({@code publish}, {@code batch}, ...). */
    public URI apiBase() {
        return apiBase;
    }

    public String apiKey() {
        return apiKey;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public long retryBaseMs() {
        return retryBaseMs;
    }

    public long retryMaxMs() {
        return retryMaxMs;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int queueLimit() {
        return queueLimit;
    }

    /** Whether an invalidation's messages go in one {@code /api/batch} call. */
    public boolean batch() {
        return batch;
    }

    public String workspaceNamespace() {
        return workspaceNamespace;
    }

    public String viewsNamespace() {
        return viewsNamespace;
    }

    /** The HS256 secret, if configured. */
    public Optional<byte[]> tokenSecret() {
        return Optional.ofNullable(tokenSecret).map(byte[]::clone);
    }

    public Duration tokenTtl() {
        return tokenTtl;
    }

    /** Every key with its effective value (secrets shown as {@code (set)}). */
    public String describe() {
        StringJoiner joiner = new StringJoiner(", ");
        effective.forEach((key, value) -> joiner.add(key + "=" + value));
        return joiner.toString();
    }

    @Override
    public String toString() {
        return "CentrifugoSettings[" + describe() + "]";
    }

    private static URI apiBase(SettingsReader reader) {
        Optional<String> raw = reader.value(URL);
        if (raw.isEmpty()) {
            reader.problem(URL + " is required (Centrifugo's base URL, e.g. http://localhost:8000)");
            return null;
        }
        String text = raw.get();
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            reader.problem(URL + "='" + text + "' is not a URL: " + e.getMessage());
            return null;
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            reader.problem(URL + "='" + text + "' must be an http(s) URL without query or fragment, "
                    + "e.g. http://localhost:8000 (the transport appends /api)");
            return null;
        }
        String base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        if (base.endsWith("/api")) {
            reader.problem(URL + "='" + text + "' must be Centrifugo's base URL: the transport appends /api itself");
            return null;
        }
        reader.effective(URL, base);
        return URI.create(base + "/api/");
    }

    private static String namespace(SettingsReader reader, String key, String defaultValue) {
        String value = reader.text(key, defaultValue);
        if (!NAMESPACE.matcher(value).matches()) {
            reader.problem(key + "='" + value + "' must be a Centrifugo namespace name: 1-64 letters, digits, _ or -");
            return defaultValue;
        }
        return value;
    }

    private static byte[] secret(SettingsReader reader) {
        Optional<String> raw = reader.value(TOKEN_SECRET);
        if (raw.isEmpty()) {
            reader.effective(TOKEN_SECRET, "(none: no tokens issued)");
            return null;
        }
        byte[] bytes = raw.get().getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            reader.problem(TOKEN_SECRET + " has " + bytes.length + " bytes: an HS256 secret needs at least "
                    + MIN_SECRET_BYTES);
            return null;
        }
        reader.effective(TOKEN_SECRET, "(set)");
        return bytes;
    }

    /** This transport's share of the settings pass (registered in META-INF/services/dev.arcana.ee.SettingsSection). */
    public static final class Section implements SettingsSection<CentrifugoSettings> {
        @Override
        public Class<CentrifugoSettings> type() {
            return CentrifugoSettings.class;
        }

        /** Only when selected: the URL and API key are required then, and meaningless otherwise. */
        @Override
        public Optional<CentrifugoSettings> read(SettingsReader reader, Shared shared) {
            return CentrifugoTransport.NAME.equals(shared.transport())
                    ? Optional.of(new CentrifugoSettings(reader)) : Optional.empty();
        }
    }
}
