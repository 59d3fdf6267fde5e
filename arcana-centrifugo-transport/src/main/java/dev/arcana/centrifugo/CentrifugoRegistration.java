package dev.arcana.centrifugo;

import dev.arcana.ee.IdentityResolution;
import dev.arcana.ee.ArcanaRuntime;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.util.Locale;
import org.eclipse.microprofile.config.Config;

/**
 * When {@code arcana.transport=centrifugo}: creates the transport as the application starts (so
 * that invalid {@code arcana.centrifugo.*} settings fail the deployment, naming the keys) and, when
 * {@code arcana.centrifugo.token-secret} is set, registers {@link CentrifugoTokenServlet} at
 * {@code {arcana.mount}/centrifugo/token}. Does nothing for other transports.
 */
@WebListener
public class CentrifugoRegistration implements ServletContextListener {
    static final String TOKEN_PATH = "/centrifugo/token";
    private static final System.Logger LOG = System.getLogger(CentrifugoRegistration.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        CDI<Object> cdi;
        try {
            cdi = CDI.current();
        } catch (IllegalStateException e) {
            return; // no CDI: no Arcana engine either
        }
        Config config = cdi.select(Config.class).get();
        String transport = config.getOptionalValue("arcana.transport", String.class).orElse("websocket")
                .trim().toLowerCase(Locale.ROOT);
        if (!CentrifugoTransport.NAME.equals(transport)) {
            return;
        }
        CentrifugoTransport bean = cdi.select(CentrifugoTransport.class).get();
        CentrifugoTokens tokens = bean.tokens().orElse(null);
        if (tokens == null) {
            LOG.log(System.Logger.Level.INFO, "ARCANA-CENTRIFUGO: no {0}: no token endpoint (the application "
                    + "issues Centrifugo tokens itself)", CentrifugoSettings.TOKEN_SECRET);
            return;
        }
        String mount = config.getOptionalValue("arcana.mount", String.class).map(String::trim)
                .filter(m -> !m.isEmpty()).orElse("/arcana");
        // application-scoped, looked up once: it holds the one resolver instance (no dependent bean per request)
        IdentityResolution identities = cdi.select(IdentityResolution.class).get();
        ArcanaRuntime runtime = cdi.select(ArcanaRuntime.class).get(); // application-scoped: one lookup
        ServletRegistration.Dynamic servlet = context.addServlet(CentrifugoTokenServlet.class.getName(),
                new CentrifugoTokenServlet(tokens, identities,
                        runtime::runningEngine));
        servlet.addMapping(mount + TOKEN_PATH);
        LOG.log(System.Logger.Level.INFO, "ARCANA-CENTRIFUGO: token endpoint at {0}{1}{2}", context.getContextPath(),
                mount, TOKEN_PATH);
    }
}
