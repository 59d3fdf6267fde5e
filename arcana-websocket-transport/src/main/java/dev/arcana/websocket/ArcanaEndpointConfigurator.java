package dev.arcana.websocket;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Configures {@link ArcanaWebSocketEndpoint}: refuses origins outside
 * {@code arcana.ws.allowed-origins}, captures what the identity resolver may read from the
 * handshake into the session's user properties (Jakarta WebSocket 2.1: each session starts with a
 * copy of the properties as {@code modifyHandshake} left them), and creates each endpoint with the
 * application's hub.
 */
final class ArcanaEndpointConfigurator extends ServerEndpointConfig.Configurator {
    private static final System.Logger LOG = System.getLogger(ArcanaEndpointConfigurator.class.getName());

    private final WebSocketHub hub;

    ArcanaEndpointConfigurator(WebSocketHub hub) {
        this.hub = hub;
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        boolean allowed = hub.settings().isOriginAllowed(originHeaderValue);
        if (!allowed) {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: handshake from origin {0} refused ({1})",
                    originHeaderValue, WebSocketSettings.ALLOWED_ORIGINS);
        }
        return allowed;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        config.getUserProperties().put(ArcanaWebSocketEndpoint.HANDSHAKE_PROPERTY,
                HandshakeIdentityRequest.capture(request));
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass == ArcanaWebSocketEndpoint.class) {
            return endpointClass.cast(new ArcanaWebSocketEndpoint(hub));
        }
        return super.getEndpointInstance(endpointClass);
    }
}
