package dev.arcana.websocket;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The programmatic endpoint at {@code {arcana.mount}/ws}: a thin adapter from the WebSocket API
 * to {@link WebSocketHub}. One instance per connection, created by
 * {@link ArcanaEndpointConfigurator} with the application's hub (so no {@code @Inject} field is
 * left null, STACK.md trap 1); a container that instantiates the class itself gets the hub
 * through {@code CDI.current()}.
 */
public class ArcanaWebSocketEndpoint extends Endpoint {
    private static final System.Logger LOG = System.getLogger(ArcanaWebSocketEndpoint.class.getName());
    /** Session user property holding the {@link HandshakeIdentityRequest} captured at the handshake. */
    static final String HANDSHAKE_PROPERTY = "dev.arcana.websocket.handshake";

    private volatile WebSocketHub hub;
    private volatile Connection connection;

    /** For containers that instantiate endpoints themselves; the hub is looked up on open. */
    public ArcanaWebSocketEndpoint() {
    }

    ArcanaWebSocketEndpoint(WebSocketHub hub) {
        this.hub = hub;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        if (hub == null) {
            hub = CDI.current().select(WebSocketTransport.class).get().hub();
        }
        Object captured = session.getUserProperties().get(HANDSHAKE_PROPERTY);
        HandshakeIdentityRequest handshake;
        if (captured instanceof HandshakeIdentityRequest request) {
            handshake = request;
        } else {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: session {0} carries no handshake data; only an auth "
                    + "frame can authenticate it", session.getId());
            handshake = HandshakeIdentityRequest.EMPTY;
        }
        WebSocketSettings settings = hub.settings();
        // README, "Deploy on Payara": a container's idle timeout of 0 stays
        settings.containerIdleTimeoutMs(session.getMaxIdleTimeout()).ifPresent(session::setMaxIdleTimeout);
        Connection opened = hub.open(session.getId(), new SessionSink(session, hub.executor()), handshake);
        connection = opened;
        try {
            session.addMessageHandler(String.class, (MessageHandler.Partial<String>) opened::onText);
            session.addMessageHandler(ByteBuffer.class,
                    (MessageHandler.Partial<ByteBuffer>) (data, last) -> opened.onBinary(last));
            session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> opened.onPong());
        } catch (IllegalStateException closedMeanwhile) {
            // opening may close the session at once (identity refused); some containers (Payara) then refuse handlers
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: session {0} closed while it opened", session.getId());
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        Connection closed = connection;
        if (closed != null) {
            hub.closed(closed);
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: {0} closed: {1}", closed, closeReason);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        // peers that vanish mid-write are routine; anything else deserves a look
        System.Logger.Level level = error instanceof IOException ? System.Logger.Level.DEBUG
                : System.Logger.Level.WARNING;
        LOG.log(level, "ARCANA-WS: error on session " + session.getId(), error);
    }
}
