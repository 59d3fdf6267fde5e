package dev.arcana.ee.rest;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.wire.ErrorReferences;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * {@link ArcanaException} → its status and code; an {@code internal} one also gets a reference to
 * its logged cause ({@link ErrorReferences}). Deliberately not annotated {@code @Provider}: it
 * is registered by {@link ArcanaRestApplication} only, so it never handles the application's own
 * JAX-RS resources.
 */
public class ArcanaExceptionMapper implements ExceptionMapper<ArcanaException> {
    private static final System.Logger LOG = System.getLogger(ArcanaExceptionMapper.class.getName());

    @Override
    public Response toResponse(ArcanaException error) {
        if (error.code() == ErrorCode.INTERNAL) {
            // the client gets the safe message and a reference; the cause (SQL, stack) goes to the log under it
            String reference = ErrorReferences.next();
            LOG.log(System.Logger.Level.WARNING, "ARCANA-HTTP: 500 internal, ref " + reference + ": "
                    + error.getMessage(), error);
            return ErrorEnvelope.of(ErrorReferences.referenced(error, reference)).toResponse();
        }
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
