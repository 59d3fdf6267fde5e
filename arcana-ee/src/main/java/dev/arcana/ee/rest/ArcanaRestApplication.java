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

    @Override
    public Map<String, Object> getProperties() {
        return Map.of(MARKER_PROPERTY, Boolean.TRUE);
    }
}
