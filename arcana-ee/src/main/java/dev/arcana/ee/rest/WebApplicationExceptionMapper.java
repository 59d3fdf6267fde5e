package dev.arcana.ee.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Failures the JAX-RS runtime raises before Arcana code runs (unknown path 404, wrong method 405,
 * wrong media type 415, ...) in the protocol's envelope, with a fixed text per status. Registered
 * by {@link ArcanaRestApplication}; an application may register it for its own JAX-RS application too
 * (the example does, for {@code /api}).
 */
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    private static final System.Logger LOG = System.getLogger(WebApplicationExceptionMapper.class.getName());

    @Override
    public Response toResponse(WebApplicationException error) {
        int status = error.getResponse() == null ? 500 : error.getResponse().getStatus();
        if (status >= 500) {
            LOG.log(System.Logger.Level.WARNING, "ARCANA-HTTP: " + status + " from the JAX-RS runtime", error);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-HTTP: {0}: {1}", status, error.getMessage());
        }
        Response envelope = ErrorEnvelope.ofStatus(status).toResponse();
        String allow = error.getResponse() == null ? null : error.getResponse().getHeaderString("Allow");
        return allow == null ? envelope : Response.fromResponse(envelope).header("Allow", allow).build();
    }
}
