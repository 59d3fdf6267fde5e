package dev.arcana.ee.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * Arcana's HTTP endpoints, at {@code /arcana} of the web application by default.
 *
 * <p>{@link #getClasses()} lists Arcana's resource and providers only, which turns off scanning for
 * this application: it never serves the application's own resources, and its exception mappers
 * never handle theirs. To serve it elsewhere, set {@code arcana.mount} (see
 * {@link ArcanaMountListener}) or map the servlet named {@code dev.arcana.ee.rest.ArcanaRestApplication}
 * in {@code web.xml}, which replaces this annotation's mapping.
 */
@ApplicationPath(ArcanaRestApplication.DEFAULT_PATH)
public class ArcanaRestApplication extends Application {
    static final String DEFAULT_PATH = "arcana";
    /** Marks requests served through this application (see {@link ArcanaResource}). */
    static final String MARKER_PROPERTY = "dev.arcana.ee.rest.application";

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ArcanaResource.class, DevtoolsResource.class, ArcanaExceptionMapper.class, WebApplicationExceptionMapper.class,
                UnexpectedErrorMapper.class);
    }

    /**
     * False when a resource is reached through another JAX-RS application: one that scans every
     * class (e.g. the application's own {@code @ApplicationPath("api")} listing no classes) would
     * otherwise serve Arcana's endpoints under its own path too, without Arcana's exception mappers.
     */
    static boolean serves(jakarta.ws.rs.core.Configuration configuration) {
        return configuration != null && Boolean.TRUE.equals(configuration.getProperty(MARKER_PROPERTY));
    }

    @Override
    public Map<String, Object> getProperties() {
        return Map.of(MARKER_PROPERTY, Boolean.TRUE);
    }
}
