package dev.arcana.websocket;

import dev.arcana.ee.ArcanaSettings;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

/**
 * Registers {@link ArcanaWebSocketEndpoint} at {@code {arcana.mount}/ws} when the web application
 * starts (programmatic deployment, so that the path follows configuration). Found by the servlet
 * container's annotation scan of {@code WEB-INF/lib}; a WAR whose {@code web.xml} is
 * {@code metadata-complete="true"} declares it instead:
 * {@code <listener><listener-class>dev.arcana.websocket.WebSocketRegistration</listener-class></listener>}.
 *
 * <p>Its beans are injected (a listener is a Jakarta EE component), which works in every server's
 * bean-archive model. Invalid {@code arcana.ws.*} values never get here: they fail the deployment
 * earlier, with every other bad key. Nothing is registered when {@code arcana.transport} selects
 * another transport, or when the server offers no WebSocket container (a warning says so).
 */
@WebListener
public class WebSocketRegistration implements ServletContextListener {
    private static final System.Logger LOG = System.getLogger(WebSocketRegistration.class.getName());

    @Inject
    ArcanaSettings arcanaSettings;
    @Inject
    Instance<WebSocketTransport> transports;

    private volatile WebSocketTransport registered;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Object attribute = context.getAttribute(ServerContainer.class.getName());
        if (!(attribute instanceof ServerContainer container)) {
            LOG.log(System.Logger.Level.WARNING, "ARCANA-WS: this server offers no Jakarta WebSocket container to "
                    + "{0} (enable it, e.g. Liberty''s websocket-2.1 feature); the Arcana WebSocket endpoint is "
                    + "not available", context.getContextPath());
            return;
        }
        if (!WebSocketTransport.NAME.equals(arcanaSettings.transport())) {
            LOG.log(System.Logger.Level.INFO, "ARCANA-WS: {0} selects another transport; no WebSocket endpoint "
                    + "registered", ArcanaSettings.TRANSPORT);
            return;
        }
        WebSocketTransport transport = transports.get(); // created now: the web module is up
        WebSocketSettings settings = transport.settings();
        try {
            container.addEndpoint(transport.endpointConfig());
        } catch (DeploymentException | RuntimeException e) {
            throw new IllegalStateException("ARCANA-WS: cannot register the WebSocket endpoint at "
                    + context.getContextPath() + settings.endpointPath() + ": " + e.getMessage(), e);
        }
        registered = transport;
        LOG.log(System.Logger.Level.INFO, "ARCANA-WS: endpoint at {0}{1}", context.getContextPath(),
                settings.endpointPath());
    }

    /**
     * Closes the connections (1001) while the web module is still up: later, when CDI destroys
     * the transport, the server may already have dropped the sockets without a close frame.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        WebSocketTransport transport = registered;
        if (transport != null) {
            transport.stop();
        }
    }
}
