package dev.arcana.websocket;

import dev.arcana.api.Arcana;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.NotStartedException;
import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.IdentityResolver;
import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.IdentityResolution;
import dev.arcana.api.spi.Transport;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Named;
import jakarta.websocket.server.ServerEndpointConfig;
import dev.arcana.engine.LatencyHistogram;
import dev.arcana.engine.TransportHops;
import java.util.List;
import java.util.Map;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The default {@link Transport} ({@code arcana.transport=websocket}): pushes go to the WebSocket
 * connections of the target seance or workspace, each through its own bounded queue, so that
 * {@link #publish} never blocks and a slow client is shed (with {@code resync}, close 1013)
 * instead of delaying the others or growing memory.
 *
 * <p>This bean wires the container's parts into {@link WebSocketHub}: MicroProfile Config
 * ({@link WebSocketSettings}, validated at deployment), the application's
 * {@link IdentityResolver} bean through {@link IdentityResolution} (the same path as HTTP), the engine ({@code Arcana}, looked up lazily: the engine needs
 * this transport to be built) and the container's default {@link ManagedScheduledExecutorService}
 * for timers, continuations and closes. {@link WebSocketRegistration} registers the endpoint at
 * {@code {arcana.mount}/ws} with {@link #endpointConfig()}.
 */
@ApplicationScoped
@Named(WebSocketTransport.NAME)
public class WebSocketTransport implements Transport, TransportHops {
    /** The {@code @Named} qualifier, i.e. the value of {@code arcana.transport} that selects this transport. */
    public static final String NAME = "websocket";
    static final String DEFAULT_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    static final String DEFAULT_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    /** Longest wait for the close frames at shutdown. */
    static final long SHUTDOWN_WAIT_MS = 2_000;
    private static final System.Logger LOG = System.getLogger(WebSocketTransport.class.getName());

    @Inject
    ArcanaSettings arcanaSettings;
    @Inject
    Instance<Arcana> engines;
    @Inject
    IdentityResolution identities;
    @Resource(lookup = DEFAULT_SCHEDULER)
    ManagedScheduledExecutorService scheduler;
    @Resource(lookup = DEFAULT_THREAD_FACTORY)
    ManagedThreadFactory threadFactory;

    private volatile WebSocketSettings settings;
    private volatile WebSocketHub hub;
    private volatile SendThreads sends;
    private volatile Arcana engine;

    @PostConstruct
    void start() {
        // validated at deployment with every other module's settings (ArcanaSettings' one pass)
        settings = arcanaSettings.section(WebSocketSettings.class).orElseThrow();
        ManagedScheduledExecutorService executor = scheduler != null ? scheduler
                : lookup(DEFAULT_SCHEDULER, ManagedScheduledExecutorService.class);
        sends = new SendThreads(threadFactory != null ? threadFactory
                : lookup(DEFAULT_THREAD_FACTORY, ManagedThreadFactory.class));
        hub = new WebSocketHub(settings, this::runningEngine, identities, Timers.on(executor), executor, sends);
        hub.start();
        LOG.log(System.Logger.Level.INFO, "ARCANA-WS: transport ready; {0}", settings.describe());
    }

    /**
     * Closes the connections (1001) before the engine stops: the engine's own stop would otherwise
     * disconnect seances through this transport while the application is already going away.
     */
    void onApplicationStop(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(Interceptor.Priority.LIBRARY_BEFORE)
                           @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
        stop();
    }

    /** Closes every connection with 1001 and stops accepting new ones (idempotent; also run when the application stops). */
    @PreDestroy
    public void stop() {
        WebSocketHub current = hub;
        if (current != null && current.isRunning()) {
            int connections = current.stats().connections();
            int abandoned = current.shutdown(SHUTDOWN_WAIT_MS);
            LOG.log(System.Logger.Level.INFO, "ARCANA-WS: transport stopped; {0} open connection(s) closed with 1001{1}",
                    connections, abandoned == 0 ? "" : " (" + abandoned + " did not finish closing in time)");
        }
        SendThreads threads = sends;
        if (threads != null) {
            threads.shutdown();
        }
    }

    @Override
    public void publish(List<Delivery> deliveries) {
        hub.publish(deliveries);
    }

    @Override
    public void disconnectSeance(String seanceId) {
        hub.disconnectSeance(seanceId);
    }

    @Override
    public boolean holdsSeance(String seanceId) {
        return hub != null && hub.holdsSeance(seanceId);
    }

    @Override
    public String state() {
        return hub != null && hub.isRunning() ? "up" : "stopped";
    }

    /** {@code written}: a push handed to this transport → its send on a connection completed. */
    @Override
    public Map<String, LatencyHistogram> transportHops() {
        WebSocketHub current = hub;
        return current == null ? Map.of() : Map.of("written", current.written());
    }

    /** Connections, seances, queued messages and shedding counts. */
    public WebSocketStats stats() {
        return hub.stats();
    }

    /** The validated configuration. */
    public WebSocketSettings settings() {
        return settings;
    }

    /**
     * The endpoint's configuration: {@link ArcanaWebSocketEndpoint} at {@code {arcana.mount}/ws},
     * with the configurator that captures the handshake and creates endpoints bound to this
     * transport. {@link WebSocketRegistration} adds it to the container; an application that
     * registers endpoints itself (e.g. with {@code metadata-complete} web.xml and no listener) can
     * pass it to {@code ServerContainer.addEndpoint}.
     */
    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(ArcanaWebSocketEndpoint.class, settings.endpointPath())
                .configurator(new ArcanaEndpointConfigurator(hub))
                .build();
    }

    WebSocketHub hub() {
        return hub;
    }

    /** The running engine, or {@code not_ready}: not started, failed to start, or stopped. */
    private Arcana runningEngine() {
        try {
            Arcana current = engine;
            if (current == null) {
                if (engines.isUnsatisfied()) {
                    throw new NotStartedException();
                }
                current = engines.get(); // a client proxy: the engine itself starts on first use
                engine = current;
            }
            if (!current.isRunning()) {
                throw new NotStartedException();
            }
            return current;
        } catch (ArcanaException e) {
            throw e;
        } catch (RuntimeException e) {
            // the engine bean could not be created (it logged why): clients see 503-style not_ready
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: the engine is not available", e);
            throw new NotStartedException();
        }
    }

    private static <T> T lookup(String name, Class<T> type) {
        try {
            return type.cast(InitialContext.doLookup(name));
        } catch (NamingException | ClassCastException e) {
            throw new IllegalStateException("ARCANA-WS: no " + type.getSimpleName() + " at " + name
                    + " (enable Jakarta Concurrency, e.g. Liberty's concurrent-3.0 feature)", e);
        }
    }
}
