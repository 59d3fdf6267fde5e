package dev.arcana.ee;

import dev.arcana.engine.EngineConfig;
import dev.arcana.engine.Strategy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Arcana's knobs, read once from MicroProfile Config (keys under {@code arcana.}) and validated
 * together: every bad key is named, with its value, in one {@link InvalidSettingsException}.
 *
 * <p>The one settings pass: the core keys below, the change detectors' ({@link DetectorSettings}),
 * the container identity's ({@link ContainerIdentitySettings}) and every module's
 * {@link SettingsSection} (the transports' {@code arcana.ws.*}, {@code arcana.centrifugo.*}) are read
 * through one {@link SettingsReader}; {@code arcana.mount} and {@code arcana.transport} are parsed
 * here only. The CDI extension creates this bean while it validates the deployment, so that bad
 * settings fail the deployment together with bad graphs.
 *
 * <p>Values are read as strings through {@code Config.getOptionalValue} rather than injected with
 * typed {@code @ConfigProperty}: a typed injection point fails on the first unconvertible value with
 * the implementation's own message, one key at a time. Tests build settings from a plain function
 * ({@link #ArcanaSettings(Function)}, {@link #of(Map)}), without any MicroProfile Config
 * implementation. An empty value counts as unset, as in MicroProfile Config.
 */
@ApplicationScoped
public class ArcanaSettings {
    private static final System.Logger LOG = System.getLogger(ArcanaSettings.class.getName());

    public static final String DEBOUNCE_MS = "arcana.debounce-ms";
    /** The token bucket's size until version 0.1 (issue 16): refused with an explanation rather than ignored. */
    static final String REMOVED_DEBOUNCE_BURST = "arcana.debounce-burst";
    public static final String MAX_SUBSCRIPTIONS_PER_SEANCE = "arcana.max-subscriptions-per-seance";
    public static final String MAX_SUBSCRIPTIONS_PER_IDENTITY = "arcana.max-subscriptions-per-identity";
    public static final String MAX_SEANCES_PER_IDENTITY = "arcana.max-seances-per-identity";
    public static final String MAX_INSTANCES_PER_WORKSPACE = "arcana.max-instances-per-workspace";
    public static final String MAX_SYNC_VIEWS = "arcana.max-sync-views";
    public static final String SNAPSHOT_THRESHOLD = "arcana.snapshot-threshold";
    public static final String GC_INTERVAL_MS = "arcana.gc-interval-ms";
    public static final String NOTIFY_QUEUE_CAPACITY = "arcana.notify-queue-capacity";
    public static final String LOAD_TIMEOUT_MS = "arcana.load-timeout-ms";
    public static final String QUERY_TIMEOUT_S = "arcana.query-timeout-s";
    public static final String SEANCE_IDLE_TTL_MS = "arcana.seance-idle-ttl-ms";
    public static final String RUN_THREADS = "arcana.run-threads";
    public static final String MUTATION_MAX_IN_FLIGHT = "arcana.mutation.max-in-flight";
    public static final String MUTATION_REMEMBERED_PER_SEANCE = "arcana.mutation.remembered-per-seance";
    public static final String MUTATION_DETECTOR_WAIT_MS = "arcana.mutation.detector-wait-ms";
    /** Factory runs mostly wait on the database: a few threads beyond the cores, never fewer than 4. */
    public static final int DEFAULT_RUN_THREADS = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    public static final String DATASOURCE = "arcana.datasource";
    public static final String MOUNT = "arcana.mount";
    public static final String HTTP_MAX_BODY_BYTES = "arcana.http.max-body-bytes";
    public static final String DETECTOR = "arcana.detector";
    public static final String TRANSPORT = "arcana.transport";
    /** {@code shared} (default), {@code naive} or {@code unindexed}: the baselines, for benchmarks (see {@link Strategy}). */
    public static final String STRATEGY = "arcana.strategy";

    /** Change detectors: explicit {@code notify} calls only, trigger LISTEN/NOTIFY, WAL logical replication. */
    public static final Set<String> DETECTORS = Set.of("explicit", "notify", "wal");
    /** Transports: the bean {@code @Named} so, from arcana-websocket-transport or arcana-centrifugo-transport. */
    public static final Set<String> TRANSPORTS = Set.of("websocket", "centrifugo");
    /** Engine strategies ({@link Strategy}). */
    public static final Set<String> STRATEGIES = Set.of("shared", "naive", "unindexed");

    /** The resource reference {@code jdbc/arcana} of the application (web.xml {@code <resource-ref>}). */
    public static final String DEFAULT_DATASOURCE = "java:comp/env/jdbc/arcana";
    public static final String DEFAULT_MOUNT = "/arcana";
    public static final int DEFAULT_MAX_BODY_BYTES = 65_536;

    private final long debounceMs;
    private final int maxSubscriptionsPerSeance;
    private final EngineConfig.Caps caps;
    private final EngineConfig.Mutations mutations;
    private final int snapshotThreshold;
    private final long gcIntervalMs;
    private final int notifyQueueCapacity;
    private final long loadTimeoutMs;
    private final int queryTimeoutS;
    private final long seanceIdleTtlMs;
    private final DevtoolsSettings devtoolsSettings;
    private final int runThreads;
    private final String datasource;
    private final String mount;
    private final int httpMaxBodyBytes;
    private final String detector;
    private final String transport;
    private final Strategy strategy;
    private final DetectorSettings detectorSettings;
    private final ContainerIdentitySettings identitySettings;
    private final Map<Class<?>, Object> sections;
    /** key → effective value, in declaration order, for the start-up log line. */
    private final Map<String, String> effective;
    private final Set<String> explicitlySet;

    /** Only for the container's client proxy, which never reads its own fields. */
    protected ArcanaSettings() {
        this(key -> Optional.empty());
    }

    @Inject
    public ArcanaSettings(Config config) {
        this(key -> config.getOptionalValue(key, String.class));
    }

    /**
     * Reads and validates every key through {@code source} (key → raw value).
     *
     * @throws InvalidSettingsException naming every key with an invalid value
     */
    public ArcanaSettings(Function<String, Optional<String>> source) {
        this(source, installedSections());
    }

    /**
     * Reads and validates the core keys and those of {@code modules}.
     *
     * @throws InvalidSettingsException naming every key with an invalid value, of every module
     */
    public ArcanaSettings(Function<String, Optional<String>> source, List<SettingsSection<?>> modules) {
        SettingsReader reader = new SettingsReader(Objects.requireNonNull(source, "source"));
        debounceMs = reader.number(DEBOUNCE_MS, EngineConfig.DEFAULT_DEBOUNCE.toMillis(), 0, 60_000);
        if (reader.value(REMOVED_DEBOUNCE_BURST).isPresent()) {
            reader.problem(REMOVED_DEBOUNCE_BURST + " was removed: a query instance re-runs as soon as its previous run "
                    + "allows (paced by the duration of its last run); " + DEBOUNCE_MS + " sets a floor between runs");
        }
        maxSubscriptionsPerSeance = (int) reader.number(MAX_SUBSCRIPTIONS_PER_SEANCE, 100, 1, 1_000_000);
        caps = new EngineConfig.Caps(
                (int) reader.number(MAX_SUBSCRIPTIONS_PER_IDENTITY,
                        EngineConfig.Caps.DEFAULT_SUBSCRIPTIONS_PER_IDENTITY, 1, 10_000_000),
                (int) reader.number(MAX_SEANCES_PER_IDENTITY, EngineConfig.Caps.DEFAULT_SEANCES_PER_IDENTITY, 1,
                        1_000_000),
                (int) reader.number(MAX_INSTANCES_PER_WORKSPACE, EngineConfig.Caps.DEFAULT_INSTANCES_PER_WORKSPACE, 1,
                        10_000_000),
                // a sync re-subscribes what a seance lost: more views than a seance may hold serve nobody
                (int) reader.number(MAX_SYNC_VIEWS, maxSubscriptionsPerSeance, 1, Math.max(1, maxSubscriptionsPerSeance)));
        mutations = new EngineConfig.Mutations(
                (int) reader.number(MUTATION_MAX_IN_FLIGHT,
                        EngineConfig.Mutations.DEFAULT_MAX_IN_FLIGHT_PER_SEANCE, 1, 1_000),
                (int) reader.number(MUTATION_REMEMBERED_PER_SEANCE,
                        EngineConfig.Mutations.DEFAULT_REMEMBERED_PER_SEANCE, 1, 100_000),
                Duration.ofMillis(reader.number(MUTATION_DETECTOR_WAIT_MS,
                        EngineConfig.Mutations.DEFAULT_DETECTOR_WAIT.toMillis(), 0, 60_000)));
        snapshotThreshold = (int) reader.number(SNAPSHOT_THRESHOLD, 50, 1, 100_000);
        gcIntervalMs = reader.number(GC_INTERVAL_MS, 60_000, 1, 86_400_000);
        // the notify queue is an array allocated up front: the bound keeps a typo from taking gigabytes
        notifyQueueCapacity = (int) reader.number(NOTIFY_QUEUE_CAPACITY, 10_000, 1, 1_000_000);
        loadTimeoutMs = reader.number(LOAD_TIMEOUT_MS, 30_000, 1, 600_000);
        queryTimeoutS = (int) reader.number(QUERY_TIMEOUT_S, 0, 0, 86_400);
        seanceIdleTtlMs = reader.number(SEANCE_IDLE_TTL_MS, EngineConfig.DEFAULT_SEANCE_IDLE_TTL.toMillis(), 0, 86_400_000);
        runThreads = (int) reader.number(RUN_THREADS, DEFAULT_RUN_THREADS, 1, 1_024);
        datasource = reader.text(DATASOURCE, DEFAULT_DATASOURCE);
        mount = reader.mount(MOUNT, DEFAULT_MOUNT);
        // bodies are buffered in memory before parsing: the upper bound caps that buffer per request
        httpMaxBodyBytes = (int) reader.number(HTTP_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 256, 64L * 1024 * 1024);
        detector = reader.choice(DETECTOR, "explicit", DETECTORS);
        transport = reader.choice(TRANSPORT, "websocket", TRANSPORTS);
        strategy = Strategy.fromConfigName(reader.choice(STRATEGY, "shared", STRATEGIES));
        detectorSettings = new DetectorSettings(reader);
        identitySettings = new ContainerIdentitySettings(reader);
        devtoolsSettings = new DevtoolsSettings(reader);
        SettingsSection.Shared shared = new SettingsSection.Shared(mount, transport);
        Map<Class<?>, Object> read = new LinkedHashMap<>();
        for (SettingsSection<?> module : modules) {
            module.read(reader, shared).ifPresent(settings -> read.put(module.type(), settings));
        }
        sections = Collections.unmodifiableMap(read);
        reader.throwIfInvalid();
        effective = Collections.unmodifiableMap(new LinkedHashMap<>(reader.effective()));
        explicitlySet = Set.copyOf(reader.explicitlySet());
    }

    /** Settings from a map of raw values (tests, tools); absent keys take their defaults. */
    public static ArcanaSettings of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new ArcanaSettings(key -> Optional.ofNullable(copy.get(key)));
    }

    /** The sections of the modules deployed beside arcana-ee (ServiceLoader), in a stable order. */
    static List<SettingsSection<?>> installedSections() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<SettingsSection<?>> found = new ArrayList<>();
        for (SettingsSection<?> section : ServiceLoader.load(SettingsSection.class,
                loader != null ? loader : ArcanaSettings.class.getClassLoader())) {
            found.add(section);
        }
        found.sort(java.util.Comparator.comparing(section -> section.type().getName()));
        return found;
    }

    /**
     * A module's settings, read in this pass; empty when the module is absent or not in use (e.g.
     * the Centrifugo section while {@code arcana.transport=websocket}).
     */
    public <T> Optional<T> section(Class<T> type) {
        return Optional.ofNullable(type.cast(sections.get(type)));
    }

    /** The change detectors' settings ({@code arcana.detector.*}, {@code arcana.notify.*}, {@code arcana.wal.*}). */
    public DetectorSettings detectorSettings() {
        return detectorSettings;
    }

    /** {@code arcana.devtools.*}. */
    public DevtoolsSettings devtoolsSettings() {
        return devtoolsSettings;
    }

    /** {@code arcana.identity} and the container identity's keys. */
    public ContainerIdentitySettings identitySettings() {
        return identitySettings;
    }

    @PostConstruct
    void logEffectiveConfiguration() {
        LOG.log(System.Logger.Level.INFO, "ARCANA-CONFIG: effective configuration: {0}", describe());
    }

    /** Every key with its effective value, defaults marked, e.g. {@code arcana.debounce-ms=0 (default)}. */
    public String describe() {
        StringJoiner joiner = new StringJoiner(", ");
        effective.forEach((key, value) -> joiner.add(key + "=" + value + (explicitlySet.contains(key) ? "" : " (default)")));
        return joiner.toString();
    }

    /** The engine's knobs. */
    public EngineConfig toEngineConfig() {
        return EngineConfig.builder()
                .debounce(Duration.ofMillis(debounceMs))
                .maxSubscriptionsPerSeance(maxSubscriptionsPerSeance)
                .snapshotThreshold(snapshotThreshold)
                .gcInterval(Duration.ofMillis(gcIntervalMs))
                .notifyQueueCapacity(notifyQueueCapacity)
                .loadTimeout(Duration.ofMillis(loadTimeoutMs))
                .queryTimeout(Duration.ofSeconds(queryTimeoutS))
                .strategy(strategy)
                .seanceIdleTtl(Duration.ofMillis(seanceIdleTtlMs))
                .caps(caps)
                .mutations(mutations)
                .build();
    }

    public Duration debounce() {
        return Duration.ofMillis(debounceMs);
    }

    public int maxSubscriptionsPerSeance() {
        return maxSubscriptionsPerSeance;
    }

    /** Caps on what clients may make the engine hold (429 beyond each). */
    public EngineConfig.Caps caps() {
        return caps;
    }

    /** The write path's limits ({@code arcana.mutation.*}). */
    public EngineConfig.Mutations mutations() {
        return mutations;
    }

    public int snapshotThreshold() {
        return snapshotThreshold;
    }

    public Duration gcInterval() {
        return Duration.ofMillis(gcIntervalMs);
    }

    public int notifyQueueCapacity() {
        return notifyQueueCapacity;
    }

    public Duration loadTimeout() {
        return Duration.ofMillis(loadTimeoutMs);
    }

    public Duration queryTimeout() {
        return Duration.ofSeconds(queryTimeoutS);
    }

    /** {@code arcana.run-threads}: the size of the pool that runs graph factories ("arcana-run-N"). */
    public int runThreads() {
        return runThreads;
    }

    /** JNDI name of the application's PostgreSQL DataSource. */
    public String datasource() {
        return datasource;
    }

    /** Where HTTP endpoints (and the WebSocket endpoint, {@code {mount}/ws}) live: starts with '/', no trailing '/'. */
    public String mount() {
        return mount;
    }

    public int httpMaxBodyBytes() {
        return httpMaxBodyBytes;
    }

    /** The change detector, one of {@link #DETECTORS}. */
    public String detector() {
        return detector;
    }

    /** The transport, one of {@link #TRANSPORTS}: the {@code @Named} qualifier of the Transport bean to use. */
    public String transport() {
        return transport;
    }

    /** How changes become factory runs ({@code naive} only for benchmarks). */
    public Strategy strategy() {
        return strategy;
    }

    @Override
    public String toString() {
        return "ArcanaSettings[" + describe() + "]";
    }
}
