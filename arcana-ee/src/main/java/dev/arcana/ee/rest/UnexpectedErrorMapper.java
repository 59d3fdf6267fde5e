package dev.arcana.ee.rest;

import dev.arcana.wire.ErrorReferences;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Any other failure → 500 {@code internal} with a generic message and a reference; the exception
 * itself (which may hold SQL or stack text) goes to the log under that reference. Registered by
 * {@link ArcanaRestApplication} only, never for the application's own resources.
 */
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {
    private static final System.Logger LOG = System.getLogger(UnexpectedErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable error) {
        String reference = ErrorReferences.next();
        LOG.log(System.Logger.Level.ERROR, "ARCANA-HTTP: unexpected error, ref " + reference, error);
        return ErrorEnvelope.unexpected(reference).toResponse();
    }
}
