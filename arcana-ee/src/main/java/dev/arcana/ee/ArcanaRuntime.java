package dev.arcana.ee;

import dev.arcana.api.Arcana;
import dev.arcana.api.NotStartedException;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.api.spi.Transport;
import dev.arcana.ee.cdi.ArcanaExtension;
import dev.arcana.ee.telemetry.Telemetry;
import dev.arcana.engine.ArcanaEngine;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import dev.arcana.engine.Registry;
import dev.arcana.engine.mutation.JdbcTransactions;
import dev.arcana.engine.mutation.MutationTransactions;
import dev.arcana.engine.pg.DirectConnections;
import dev.arcana.engine.pg.NotifyDetector;
import dev.arcana.engine.pg.WalDetector;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Owns the engine of this application: assembles it from the container's resources when the web
 * application is ready ({@link ArcanaStartupListener}), stops it when the application stops, and
 * produces it for injection ({@code @Inject Arcana arcana}; {@code @Inject ArcanaEngine engine} for
 * the extras).
 *
 * <p>Start-up order, the same on every server: the application's own start-up beans
 * ({@code @Observes @Initialized(ApplicationScoped.class)}, e.g. one that starts or migrates the
 * database) and the web module's other listeners run first; the engine starts after them, from
 * the listener of arcana-ee's web fragment (ordered after the others). Before that, the produced
 * {@code Arcana} answers {@code not_ready}: start-up beans must not call the engine.
 *
 * <p>Assembly: the DataSource at the JNDI name {@code arcana.datasource} (by default the resource
 * reference {@code java:comp/env/jdbc/arcana}); the {@link Transport} bean
 * {@code @Named(<arcana.transport>)}; the container's default
 * {@link ManagedScheduledExecutorService} (never raw threads); the graphs and mutations that
 * {@link ArcanaExtension} validated at deployment; JTA transactions for mutations when the
 * container offers them ({@link JtaTransactions}).
 */
@ApplicationScoped
public class ArcanaRuntime {
    private static final System.Logger LOG = System.getLogger(ArcanaRuntime.class.getName());
    static final String DEFAULT_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    static final String DEFAULT_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    /** How long a stop waits for factory runs in progress before interrupting them. */
    static final long RUN_POOL_SHUTDOWN_MS = 5_000;

    /** Lifecycle of the engine bean; moves forward only. */
    public enum State { NEW, RUNNING, FAILED, STOPPED }

    @Inject
    ArcanaSettings settings;
    @Inject
    BeanManager beanManager;
    ArcanaExtension extension;
    @Resource(lookup = DEFAULT_SCHEDULER)
    ManagedScheduledExecutorService scheduler;
    @Resource(lookup = DEFAULT_THREAD_FACTORY)
    ManagedThreadFactory threadFactory;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile ArcanaEngine engine;
    /** The OpenTelemetry publication of the engine's metrics (a no-op where the server offers none). */
    private AutoCloseable telemetry = () -> { };
    private volatile DataSource dataSource;
    private volatile ScheduledExecutorService executor;
    private volatile RunPool runPool;
    private volatile String failure;
    private boolean assembling; // guarded by this

    void onApplicationStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
        stop();
    }

    @PreDestroy
    void release() {
        stop();
    }

    /**
     * Assembles and starts the engine once; later calls return it. Run by
     * {@link ArcanaStartupListener} when the web application is ready.
     *
     * @throws IllegalStateException when the engine cannot start (the reason is kept for health checks)
     */
    public synchronized ArcanaEngine start() {
        switch (state.get()) {
            case RUNNING:
                return engine;
            case FAILED:
                throw new IllegalStateException("ARCANA-START: the engine failed to start: " + failure);
            case STOPPED:
                throw new NotStartedException();
            default:
                break;
        }
        if (assembling) {
            // same thread, re-entered through the producers: a bean created during assembly wants the engine
            throw new IllegalStateException("ARCANA-START: the engine was requested while it is being assembled; "
                    + "beans the engine needs (e.g. the Transport) must inject Arcana (a proxy) or ArcanaRuntime, "
                    + "not ArcanaEngine, and must not call the engine while they are being created");
        }
        assembling = true;
        try {
            DataSource database = lookup(settings.datasource(), DataSource.class, ArcanaSettings.DATASOURCE);
            ArcanaExtension found = extension();
            Transport transport = TransportSelection.select(beanManager, found.transportBeans(), settings.transport());
            ScheduledExecutorService managed = scheduler != null ? scheduler
                    : lookup(DEFAULT_SCHEDULER, ManagedScheduledExecutorService.class, "Jakarta Concurrency");
            ThreadFactory threads = threadFactory != null ? threadFactory
                    : lookup(DEFAULT_THREAD_FACTORY, ManagedThreadFactory.class, "Jakarta Concurrency");
            // factory runs get their own threads: slow factories must not starve socket writes and timers
            RunPool runs = new RunPool(settings.runThreads(), threads);
            runPool = runs;
            ArcanaEngine built = ArcanaEngine.builder()
                    .dataSource(database)
                    .transport(transport)
                    .executor(managed)
                    .runExecutor(runs)
                    .config(settings.toEngineConfig())
                    .changeDetector(detector(settings.detector(), database))
                    .transactions(transactions(database))
                    .changeLog(settings.devtoolsSettings().changeLogCapacity())
                    .build();
            found.graphs().forEach(built::register);
            found.mutations().forEach(built::register);
            built.start();
            telemetry = Telemetry.publish(built, beanManager);
            engine = built;
            dataSource = database;
            executor = managed;
            state.set(State.RUNNING);
            LOG.log(System.Logger.Level.INFO, "ARCANA-START: engine running with {0} graph(s), {1} mutation(s), "
                    + "transport {2}, detector {3}, datasource {4}", built.registry().size(), found.mutations().size(),
                    settings.transport(), settings.detector(), settings.datasource());
            return built;
        } catch (RuntimeException e) {
            RunPool runs = runPool;
            if (runs != null) {
                runs.shutdown(RUN_POOL_SHUTDOWN_MS);
            }
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            state.set(State.FAILED);
            LOG.log(System.Logger.Level.ERROR, "ARCANA-START: the engine could not start: " + failure, e);
            throw new IllegalStateException("ARCANA-START: the engine could not start: " + failure, e);
        } finally {
            assembling = false;
        }
    }

    /** Stops the engine (idempotent); clients are told to disconnect through the transport. */
    public synchronized void stop() {
        if (state.compareAndSet(State.RUNNING, State.STOPPED)) {
            try {
                telemetry.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-STOP: the metrics did not detach cleanly: " + e);
            }
            try {
                engine.stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-STOP: the engine did not stop cleanly", e);
            }
            RunPool runs = runPool;
            if (runs != null) {
                runs.shutdown(RUN_POOL_SHUTDOWN_MS);
            }
            LOG.log(System.Logger.Level.INFO, "ARCANA-STOP: engine stopped");
        } else {
            state.compareAndSet(State.NEW, State.STOPPED);
        }
    }

    /** The engine for application code; {@link NotStartedException} (503 not_ready) before it runs. */
    @Produces
    @ApplicationScoped
    @Typed(Arcana.class)
    Arcana produceArcana() {
        return runningEngine();
    }

    /** The concrete engine (not proxyable, hence dependent; the instance is the same one). */
    @Produces
    @Dependent
    @Typed(ArcanaEngine.class)
    ArcanaEngine produceEngine() {
        return runningEngine();
    }

    /** The running engine, for request handlers: {@link NotStartedException} (503 not_ready) otherwise. */
    public ArcanaEngine runningEngine() {
        ArcanaEngine current = engine;
        if (current == null || state.get() != State.RUNNING || !current.isRunning()) {
            throw new NotStartedException();
        }
        return current;
    }

    public State state() {
        return state.get();
    }

    /** Why the start failed, when it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public Optional<ArcanaEngine> engine() {
        return Optional.ofNullable(engine);
    }

    /** The engine's DataSource, once started (health checks probe it). */
    public Optional<DataSource> dataSource() {
        return Optional.ofNullable(dataSource);
    }

    /** The managed executor the engine runs on, once started. */
    public Optional<ScheduledExecutorService> executor() {
        return Optional.ofNullable(executor);
    }

    /**
     * {@code explicit} needs no detector: the engine's own notifier takes {@code Arcana.notify}
     * (which also works next to the others). {@code notify} and {@code wal} get their own
     * connections and one long-lived thread from the container's managed thread factory.
     */
    private Function<Registry, ChangeDetector> detector(String name, DataSource database) {
        if ("explicit".equals(name)) {
            return registry -> null;
        }
        DetectorSettings detectorSettings = settings.detectorSettings();
        DirectConnections connections = connections(detectorSettings, database);
        ThreadFactory threads = threadFactory != null ? threadFactory
                : lookup(DEFAULT_THREAD_FACTORY, ManagedThreadFactory.class, "Jakarta Concurrency");
        return switch (name) {
            case "notify" -> registry -> new NotifyDetector(connections, registry::tableDependencies,
                    detectorSettings.notifyOptions(), threads);
            case "wal" -> registry -> new WalDetector(connections, registry::tableDependencies,
                    detectorSettings.walOptions(), threads);
            default -> throw new IllegalStateException(ArcanaSettings.DETECTOR + "=" + name + " is not supported");
        };
    }

    /**
     * Mutations run in a JTA transaction when the container offers one (the application's own
     * transactional beans and enlisted resources join it), else on one JDBC connection.
     */
    private static MutationTransactions transactions(DataSource database) {
        Optional<UserTransaction> jta = JtaTransactions.lookup();
        LOG.log(System.Logger.Level.INFO, jta.isPresent()
                ? "ARCANA-START: mutations run in JTA transactions (" + JtaTransactions.USER_TRANSACTION + ")"
                : "ARCANA-START: no JTA UserTransaction at " + JtaTransactions.USER_TRANSACTION
                        + "; mutations run in JDBC transactions on the DataSource");
        return jta.<MutationTransactions>map(transaction -> new JtaTransactions(transaction, database))
                .orElseGet(() -> new JdbcTransactions(database));
    }

    /** The detector's URL and user: configured, or those of the application's DataSource. */
    private static DirectConnections connections(DetectorSettings detectorSettings, DataSource database) {
        String url = detectorSettings.url().orElse(null);
        String user = detectorSettings.user().orElse(null);
        if (url == null || user == null) {
            try (Connection connection = database.getConnection()) {
                DatabaseMetaData metaData = connection.getMetaData();
                url = url != null ? url : metaData.getURL();
                user = user != null ? user : metaData.getUserName();
            } catch (SQLException e) {
                throw new IllegalStateException("change detection: cannot read the DataSource's URL (set "
                        + DetectorSettings.URL + " and " + DetectorSettings.USER + "): " + e.getMessage(), e);
            }
        }
        return new DirectConnections(url, user, detectorSettings.password().orElse(null));
    }

    private ArcanaExtension extension() {
        if (extension == null) {
            extension = beanManager.getExtension(ArcanaExtension.class);
        }
        return extension;
    }

    private static <T> T lookup(String name, Class<T> type, String what) {
        Object found;
        try {
            found = InitialContext.doLookup(name);
        } catch (NamingException e) {
            throw new IllegalStateException("nothing is bound at JNDI name '" + name + "' (" + what + "): " + e, e);
        }
        if (!type.isInstance(found)) {
            throw new IllegalStateException("JNDI name '" + name + "' (" + what + ") holds a "
                    + (found == null ? "null" : found.getClass().getName()) + ", not a " + type.getName());
        }
        return type.cast(found);
    }
}
