package dev.arcana.centrifugo;

import dev.arcana.ee.ArcanaRuntime;
import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.IdentityResolution;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;

/**
 * When {@code arcana.transport=centrifugo}: creates the transport as the web application starts
 * and, when {@code arcana.centrifugo.token-secret} is set, registers {@link CentrifugoTokenServlet}
 * at {@code {arcana.mount}/centrifugo/token}. Does nothing for other transports. Invalid
 * {@code arcana.centrifugo.*} values never get here: they fail the deployment earlier, with every
 * other bad key. Its beans are injected (a listener is a Jakarta EE component), which works in
 * every server's bean-archive model.
 */
@WebListener
public class CentrifugoRegistration implements ServletContextListener {
    static final String TOKEN_PATH = "/centrifugo/token";
    private static final System.Logger LOG = System.getLogger(CentrifugoRegistration.class.getName());

    @Inject
    ArcanaSettings settings;
    @Inject
    Instance<CentrifugoTransport> transports;
    @Inject
    IdentityResolution identities;
    @Inject
    ArcanaRuntime runtime;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        if (!CentrifugoTransport.NAME.equals(settings.transport())) {
            return;
        }
        ServletContext context = event.getServletContext();
        CentrifugoTokens tokens = transports.get().tokens().orElse(null);
        if (tokens == null) {
            LOG.log(System.Logger.Level.INFO, "ARCANA-CENTRIFUGO: no {0}: no token endpoint (the application "
                    + "issues Centrifugo tokens itself)", CentrifugoSettings.TOKEN_SECRET);
            return;
        }
        String path = settings.mount() + TOKEN_PATH; // the mount as validated: never "//centrifugo/token"
        ServletRegistration.Dynamic servlet = context.addServlet(CentrifugoTokenServlet.class.getName(),
                new CentrifugoTokenServlet(tokens, identities, runtime::runningEngine));
        servlet.addMapping(path);
        LOG.log(System.Logger.Level.INFO, "ARCANA-CENTRIFUGO: token endpoint at {0}{1}", context.getContextPath(), path);
    }
}
