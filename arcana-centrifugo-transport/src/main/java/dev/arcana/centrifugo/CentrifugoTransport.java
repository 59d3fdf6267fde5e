package dev.arcana.centrifugo;

import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.Transport;
import dev.arcana.ee.ArcanaSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The {@link Transport} selected by {@code arcana.transport=centrifugo}: every push becomes a
 * publication in Centrifugo, whose {@code data} is exactly the push object the WebSocket
 * transport sends as a frame ({@code {"type": ..., "data": {...}}}).
 *
 * <ul>
 *   <li>{@code table_diff} → channel {@code workspace:{workspaceId}}; {@code view_diff}, {@code resync}
 *   and other seance pushes → {@code views:{seanceId}} (namespaces configurable).</li>
 *   <li>One {@code /api/batch} call per invalidation, at most {@code max-in-flight} calls under
 *   way, at most {@code queue-limit} invalidations waiting; {@link #publish} never blocks.</li>
 *   <li>Network errors, timeouts and 5xx are retried with exponential backoff and jitter; 4xx are
 *   not; errors inside 200 bodies are detected and counted.</li>
 *   <li>Stated overflow behaviour: an invalidation that finds the queue full is dropped, and so are
 *   messages that failed for good; each channel that lost a message gets a {@code resync}
 *   publication once the queue has drained to half its limit — the seance's own channel, or for a
 *   lost {@code table_diff} the workspace's channel, i.e. every seance of that workspace.</li>
 *   <li>{@link #disconnectSeance}: {@code /api/disconnect} with {@code user} = the seance id (the
 *   {@code sub} of the tokens from {@link CentrifugoTokens}), code 4001, reason "seance closed".</li>
 * </ul>
 *
 * Configuration: {@link CentrifugoSettings}, validated at deployment when this transport is selected.
 */
@ApplicationScoped
@Named(CentrifugoTransport.NAME)
public class CentrifugoTransport implements Transport {
    /** The {@code @Named} qualifier, i.e. the value of {@code arcana.transport} that selects this transport. */
    public static final String NAME = "centrifugo";
    static final String DEFAULT_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    private static final System.Logger LOG = System.getLogger(CentrifugoTransport.class.getName());

    @Inject
    ArcanaSettings arcanaSettings;
    @Resource(lookup = DEFAULT_SCHEDULER)
    ManagedScheduledExecutorService scheduler;

    private volatile CentrifugoClient client;
    private volatile CentrifugoTokens tokens;

    @PostConstruct
    void start() {
        // validated at deployment with every other module's settings (ArcanaSettings' one pass)
        CentrifugoSettings settings = arcanaSettings.section(CentrifugoSettings.class).orElseThrow(() ->
                new IllegalStateException("ARCANA-CENTRIFUGO: created while arcana.transport is not centrifugo"));
        ManagedScheduledExecutorService executor = scheduler != null ? scheduler : lookupScheduler();
        client = CentrifugoClient.create(settings, executor);
        tokens = settings.tokenSecret()
                .map(secret -> new CentrifugoTokens(secret, Channels.of(settings), settings.tokenTtl(), Clock.systemUTC()))
                .orElse(null);
        LOG.log(System.Logger.Level.INFO, "ARCANA-CENTRIFUGO: transport ready; {0}", settings.describe());
    }

    @PreDestroy
    public void stop() {
        CentrifugoClient current = client;
        if (current != null && current.isRunning()) {
            current.close();
            LOG.log(System.Logger.Level.INFO, "ARCANA-CENTRIFUGO: transport stopped; {0}", current.stats());
        }
    }

    @Override
    public void publish(List<Delivery> deliveries) {
        client.publish(deliveries);
    }

    @Override
    public void disconnectSeance(String seanceId) {
        client.disconnectSeance(seanceId);
    }

    @Override
    public String state() {
        return client == null ? "stopped" : client.state();
    }

    public CentrifugoStats stats() {
        return client.stats();
    }

    public Optional<String> lastError() {
        return client.lastError();
    }

    public CentrifugoSettings settings() {
        return client.settings();
    }

    /** The token helpers; empty when {@code arcana.centrifugo.token-secret} is not set. */
    public Optional<CentrifugoTokens> tokens() {
        return Optional.ofNullable(tokens);
    }

    private static ManagedScheduledExecutorService lookupScheduler() {
        try {
            return InitialContext.doLookup(DEFAULT_SCHEDULER);
        } catch (NamingException e) {
            throw new IllegalStateException("ARCANA-CENTRIFUGO: no ManagedScheduledExecutorService at "
                    + DEFAULT_SCHEDULER + " (enable Jakarta Concurrency, e.g. Liberty's concurrent-3.0 feature)", e);
        }
    }
}
