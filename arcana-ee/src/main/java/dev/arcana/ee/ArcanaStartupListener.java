package dev.arcana.ee;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Starts the engine when the web application is ready and stops it when the web application goes
 * away, on every server at the same point: the CDI container is up, {@code java:comp} (the
 * DataSource reference, the managed executors) resolves, and the application's own start-up beans
 * have run. Declared in arcana-ee's {@code META-INF/web-fragment.xml}, ordered after the other
 * fragments, so the application's listeners run before it too.
 *
 * <p>Why not a CDI {@code @Initialized(ApplicationScoped.class)} observer: on Payara such observers
 * in {@code WEB-INF/lib} jars fire during Weld's bootstrap, before {@code java:comp} exists and
 * before the application's own observers; the web-listener point is the one all servers agree on.
 * An engine that cannot start fails the deployment, with the reason in the log.
 */
public class ArcanaStartupListener implements ServletContextListener {

    @Inject
    ArcanaRuntime runtime;
    @Inject
    IdentityResolution identities;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        identities.isConfigured(); // a missing resolver is reported now, not at the first request
        runtime.start();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        runtime.stop();
    }
}
