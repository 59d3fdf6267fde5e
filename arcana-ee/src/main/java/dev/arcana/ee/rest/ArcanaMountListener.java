package dev.arcana.ee.rest;

import dev.arcana.ee.ArcanaSettings;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.util.List;

/**
 * Checks that the HTTP endpoints live where {@code arcana.mount} says (the WebSocket endpoint
 * follows the setting; HTTP follows the servlet mapping) and, when they do not, logs the exact
 * {@code web.xml} mapping that moves them.
 *
 * <p>Why HTTP cannot follow the setting by itself: {@code @ApplicationPath} is static, and while
 * Open Liberty lets a listener add a mapping to the servlet registered for
 * {@link ArcanaRestApplication} ({@code ServletRegistration.addMapping}), its JAX-RS runtime
 * still matches request paths relative to the annotation's path, so requests under the added
 * mapping answer 404. A {@code web.xml} servlet-mapping for the servlet named
 * {@code dev.arcana.ee.rest.ArcanaRestApplication} is the Jakarta REST way: it replaces the
 * annotation's mapping.
 */
@WebListener
public class ArcanaMountListener implements ServletContextListener {
    private static final System.Logger LOG = System.getLogger(ArcanaMountListener.class.getName());
    static final String SERVLET_NAME = ArcanaRestApplication.class.getName();

    @Inject
    ArcanaSettings settings;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        String mount = settings.mount();
        ServletRegistration registration = event.getServletContext().getServletRegistration(SERVLET_NAME);
        List<String> mappings = registration == null ? List.of() : List.copyOf(registration.getMappings());
        String check = check(mount, mappings);
        if (check != null) {
            LOG.log(System.Logger.Level.WARNING, "ARCANA-MOUNT: " + check);
        } else {
            LOG.log(System.Logger.Level.INFO, "ARCANA-MOUNT: HTTP endpoints at {0}", mount);
        }
    }

    /**
     * Null when the endpoints are served at {@code mount}, else what is wrong and how to fix it.
     * When the server does not report the servlet's mappings, nothing can be said.
     */
    static String check(String mount, List<String> mappings) {
        String pattern = mount + "/*";
        if (mappings.isEmpty() || mappings.contains(pattern)) {
            return null;
        }
        return ArcanaSettings.MOUNT + "=" + mount + " but the HTTP endpoints are mapped to " + mappings
                + " (the WebSocket endpoint follows " + ArcanaSettings.MOUNT + ", HTTP follows the servlet mapping). "
                + "To serve HTTP at " + mount + ", add to WEB-INF/web.xml: " + webXmlMapping(mount);
    }

    /** The web.xml fragment that moves the HTTP endpoints to {@code mount}. */
    public static String webXmlMapping(String mount) {
        // Liberty refuses a servlet-mapping whose servlet is not declared (SRVE0303E), hence the <servlet>
        return "<servlet><servlet-name>" + SERVLET_NAME + "</servlet-name></servlet><servlet-mapping><servlet-name>"
                + SERVLET_NAME + "</servlet-name><url-pattern>" + mount + "/*</url-pattern></servlet-mapping>";
    }
}
