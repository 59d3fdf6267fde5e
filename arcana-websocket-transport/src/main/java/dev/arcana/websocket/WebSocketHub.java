package dev.arcana.websocket;

import dev.arcana.api.Arcana;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Identity;
import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.IdentityRequest;
import dev.arcana.ee.IdentityResolution;
import dev.arcana.engine.LatencyHistogram;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The transport's core, free of CDI and of the WebSocket API (sessions are reached through
 * {@link OutboundQueue.Sink}), so that tests drive it with fake sessions and a manual clock:
 * connections opening, authenticating and closing; publishing; the periodic sweep (heartbeat
 * pings, idle, send and auth deadlines); shedding; shutdown.
 */
final class WebSocketHub {
    private static final System.Logger LOG = System.getLogger(WebSocketHub.class.getName());

    private final WebSocketSettings settings;
    private final Supplier<Arcana> engine;
    private final IdentityResolution identities;
    private final Timers timers;
    private final Executor executor;
    private final Executor sends;
    private final FrameDispatcher dispatcher;
    private final SeanceRegistry<Connection> registry;
    /** Every open connection, authenticated or not, until it is closed. */
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong sendTimeouts = new AtomicLong();
    /** Pushes: handed to the transport → written to the socket, per connection. */
    private final LatencyHistogram written = new LatencyHistogram();
    private volatile Timers.Cancellable sweepTimer;

    /**
     * @param engine   the running engine (throws {@code not_ready} otherwise)
     * @param identities the one identity path shared with HTTP and Centrifugo (fails closed, logs a
     *                   throwing resolver once)
     * @param timers   grace periods, the sweep, and the clock
     * @param executor where pings are sent and sessions are closed
     * @param sends    where a connection's next send starts after the previous one completed: the hot
     *                 path, one task per queued frame, so no container context is captured per task
     */
    WebSocketHub(WebSocketSettings settings, Supplier<Arcana> engine,
                 IdentityResolution identities, Timers timers, Executor executor, Executor sends) {
        this.settings = settings;
        this.engine = engine;
        this.identities = identities;
        this.timers = timers;
        this.executor = executor;
        this.sends = sends;
        this.dispatcher = new FrameDispatcher(engine, settings.maxFrameBytes());
        this.registry = new SeanceRegistry<>(settings.gracePeriodMs(), timers, Connection::identity,
                this::releaseLater);
    }

    /** Starts the periodic sweep. */
    void start() {
        if (running.compareAndSet(false, true)) {
            scheduleSweep();
        }
    }

    boolean isRunning() {
        return running.get();
    }

    /**
     * A new session: resolves the handshake's identity and attaches the connection; without one
     * the connection waits for an {@code auth} frame.
     */
    Connection open(String id, OutboundQueue.Sink sink, HandshakeIdentityRequest handshake) {
        Connection connection = new Connection(id, this, sink, handshake);
        if (!running.get()) {
            connection.out().close(Connection.GOING_AWAY, "server shutting down");
            return connection;
        }
        connections.add(connection);
        Optional<Identity> identity;
        try {
            identity = resolve(connection.handshake());
        } catch (ArcanaException e) {
            // the resolver refused the handshake itself: no point waiting for an auth frame
            connection.close(Connection.VIOLATED_POLICY, Connection.closeReason(e.code().code() + ": " + e.getMessage()));
            return connection;
        }
        if (identity.isPresent()) {
            attach(connection, identity.get());
        } else {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: {0}: no identity in the handshake; waiting for an auth frame",
                    connection);
        }
        return connection;
    }

    /** The container closed the session (either side initiated it). */
    void closed(Connection connection) {
        connection.out().discard();
        detach(connection);
    }

    LatencyHistogram written() {
        return written;
    }

    /** Delivers pushes in order; never blocks (each connection only queues). */
    void publish(List<Delivery> deliveries) {
        long handedOver = System.nanoTime();
        for (Delivery delivery : deliveries) {
            List<Connection> targets = delivery.audience() == Delivery.Audience.SEANCE
                    ? registry.seance(delivery.target()) : registry.workspace(delivery.target());
            if (targets.isEmpty()) {
                continue;
            }
            String json = delivery.push().json();
            for (Connection connection : targets) {
                try {
                    connection.push(json, handedOver);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "ARCANA-WS: push to " + connection + " failed", e);
                }
            }
        }
    }

    /** Whether the seance has a connection, or is in its grace period (its release is this hub's job). */
    boolean holdsSeance(String seanceId) {
        return registry.holds(seanceId);
    }

    /** Closes every connection of the seance with 1001. */
    void disconnectSeance(String seanceId) {
        for (Connection connection : registry.seance(seanceId)) {
            connection.close(Connection.GOING_AWAY, "disconnected by the server");
        }
    }

    /**
     * One pass over the connections: closes those without identity past the auth timeout (1008),
     * those silent past the idle timeout (1001), those whose send is stuck past the send timeout
     * (1013); pings the others once per heartbeat.
     */
    void sweep() {
        long now = timers.now();
        long heartbeat = settings.heartbeatMs();
        long idle = settings.idleTimeoutMs();
        for (Connection connection : connections) {
            try {
                OutboundQueue out = connection.out();
                if (out.state() == OutboundQueue.State.CLOSED) {
                    detach(connection); // the close was requested; nothing more to wait for
                } else if (out.checkDeadline(now)) {
                    detach(connection);
                } else if (out.state() == OutboundQueue.State.SHEDDING) {
                    continue; // its resync is on the way; the send deadline above bounds the wait
                } else if (connection.identity() == null && now - connection.openedAt() >= settings.authTimeoutMs()) {
                    connection.close(Connection.VIOLATED_POLICY, "authentication timeout");
                } else if (idle > 0 && now - connection.lastReceived() >= idle) {
                    LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: {0}: nothing received for {1} ms; closing",
                            connection, now - connection.lastReceived());
                    connection.close(Connection.GOING_AWAY, "idle timeout");
                } else if (heartbeat > 0 && now - connection.lastPing() >= heartbeat && out.offerPing()) {
                    connection.pinged(now);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-WS: sweeping " + connection + " failed", e);
            }
        }
    }

    /**
     * Closes every connection with 1001 and stops the timers; the engine releases the seances
     * itself. The closes run in parallel on the executor (in the calling thread if it refuses)
     * and are waited for at most {@code maxWaitMs}: a client that does not read cannot hold the
     * application's shutdown. Returns how many closes did not finish in time.
     */
    int shutdown(long maxWaitMs) {
        if (!running.compareAndSet(true, false)) {
            return 0;
        }
        Timers.Cancellable sweep = sweepTimer;
        if (sweep != null) {
            sweep.cancel();
        }
        registry.shutdown();
        List<Connection> open = List.copyOf(connections);
        connections.clear();
        CountDownLatch closed = new CountDownLatch(open.size());
        for (Connection connection : open) {
            connection.out().discard();
            Runnable close = () -> {
                try {
                    connection.sink().closeNow(Connection.GOING_AWAY, "server shutting down");
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: closing " + connection + " failed", e);
                } finally {
                    closed.countDown();
                }
            };
            try {
                executor.execute(close);
            } catch (RejectedExecutionException e) {
                close.run();
            }
        }
        try {
            if (!closed.await(maxWaitMs, TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-WS: {0} of {1} connection(s) not closed within {2} ms "
                        + "at shutdown; left to the server", closed.getCount(), open.size(), maxWaitMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (int) closed.getCount();
    }

    WebSocketStats stats() {
        long queued = 0;
        int authenticated = 0;
        for (Connection connection : connections) {
            queued += connection.out().size();
            if (connection.identity() != null) {
                authenticated++;
            }
        }
        return new WebSocketStats(running.get(), connections.size(), authenticated, registry.connectedSeances(),
                registry.seancesInGrace(), queued, shed.get(), sendTimeouts.get());
    }

    // ---- for Connection

    /**
     * Resolves through {@link IdentityResolution}: empty when refused (a throwing resolver is logged
     * once, then at DEBUG, so clients cannot flood the log).
     *
     * @throws ArcanaException the resolver's own refusal, with its code (the caller closes with 1008)
     */
    Optional<Identity> resolve(IdentityRequest request) {
        return identities.tryResolve(request);
    }

    /**
     * Sets the connection's identity, claims its seance from the engine and registers it; closes it
     * with 1008 when the seance belongs to another identity or the identity holds too many seances
     * (1013 while the engine is not ready).
     */
    boolean attach(Connection connection, Identity identity) {
        connection.identity(identity);
        try {
            engine.get().claimSeance(identity);
        } catch (ArcanaException e) {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: {0} refused: {1}", connection, e.getMessage());
            if (e.code() == ErrorCode.NOT_READY) {
                connection.close(OutboundQueue.TRY_AGAIN_LATER, "server not ready");
            } else {
                connection.close(Connection.VIOLATED_POLICY, e.code() == ErrorCode.FORBIDDEN
                        ? "seance belongs to another identity" : e.code().code());
            }
            return false;
        }
        SeanceRegistry.Attach outcome = registry.attach(connection);
        if (outcome == SeanceRegistry.Attach.REFUSED_OTHER_OWNER) {
            LOG.log(System.Logger.Level.INFO, "ARCANA-WS: {0} refused: the seance is connected as another user or "
                    + "workspace", connection);
            connection.close(Connection.VIOLATED_POLICY, "seance belongs to another identity");
            return false;
        }
        if (outcome == SeanceRegistry.Attach.REFUSED_SHUT_DOWN) {
            connection.close(Connection.GOING_AWAY, "server shutting down");
            return false;
        }
        if (connection.out().state() != OutboundQueue.State.OPEN) {
            detach(connection); // closed while it was being attached
            return false;
        }
        LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: {0} opened (user {1}, workspace {2})", connection,
                identity.userId(), identity.workspaceId());
        return true;
    }

    void detach(Connection connection) {
        connections.remove(connection);
        registry.detach(connection);
    }

    /**
     * Releases the seance on the executor, never in the calling thread: a shed happens inside
     * {@link #publish}, which the engine calls under a workspace lock, and {@code releaseSeance}
     * takes the seance's lock, which a {@code subscribe} holds while it waits for that workspace
     * lock (Transport SPI: publish must not re-enter the engine).
     */
    private void releaseLater(String seanceId) {
        try {
            executor.execute(() -> {
                try {
                    engine.get().releaseSeance(seanceId);
                } catch (RuntimeException e) {
                    // e.g. the engine is stopping: it drops every seance itself
                    LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: releasing seance " + seanceId + " failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down; otherwise the engine's idle sweep releases a seance no transport holds
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: releasing seance {0} skipped: executor refused ({1})",
                    seanceId, e.getMessage());
        }
    }

    /** The queue shed its connection: it gets no more pushes. */
    void shed(Connection connection, OutboundQueue.ShedReason reason) {
        if (reason == OutboundQueue.ShedReason.SEND_TIMEOUT) {
            sendTimeouts.incrementAndGet();
            LOG.log(System.Logger.Level.INFO, "ARCANA-WS: {0} shed: a send did not complete within {1} ms; closing "
                    + "with 1013", connection, settings.sendTimeoutMs());
        } else {
            shed.incrementAndGet();
            LOG.log(System.Logger.Level.INFO, "ARCANA-WS: {0} shed: more than {1} messages waiting (slow consumer); "
                    + "sending resync and closing with 1013", connection, settings.queueLimit());
        }
        registry.detach(connection); // stays in `connections` until closed, so the sweep bounds the last send
    }

    WebSocketSettings settings() {
        return settings;
    }

    FrameDispatcher dispatcher() {
        return dispatcher;
    }

    Executor executor() {
        return executor;
    }

    Executor sends() {
        return sends;
    }

    long now() {
        return timers.now();
    }

    /** Attached connections of a seance (tests, diagnostics). */
    List<Connection> seance(String seanceId) {
        return registry.seance(seanceId);
    }

    private void scheduleSweep() {
        sweepTimer = timers.schedule(() -> {
            if (!running.get()) {
                return;
            }
            try {
                sweep();
            } finally {
                if (running.get()) {
                    scheduleSweep();
                }
            }
        }, settings.sweepIntervalMs());
    }
}
