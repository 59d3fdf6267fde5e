package dev.arcana.ee.rest;

import dev.arcana.api.ArcanaException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * {@link ArcanaException} → its status and code. Deliberately not annotated {@code @Provider}: it
 * is registered by {@link ArcanaRestApplication} only, so it never handles the application's own
 * JAX-RS resources.
 */
public class ArcanaExceptionMapper implements ExceptionMapper<ArcanaException> {
    private static final System.Logger LOG = System.getLogger(ArcanaExceptionMapper.class.getName());

    @Override
    public Response toResponse(ArcanaException error) {
        ErrorEnvelope envelope = ErrorEnvelope.of(error);
        if (envelope.status() >= 500) {
            // the client gets the safe message; the cause (SQL, stack) goes to the log only
            LOG.log(System.Logger.Level.WARNING, "ARCANA-HTTP: " + envelope.status() + " " + error.code().code()
                    + ": " + error.getMessage(), error);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-HTTP: {0} {1}: {2}", envelope.status(), error.code().code(),
                    error.getMessage());
        }
        return envelope.toResponse();
    }
}
