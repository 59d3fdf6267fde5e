package dev.arcana.ee.rest;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.wire.WireFormat;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;

/**
 * A failure as the client sees it: an HTTP status and the {@code {"ok":false,"error","code"}} body.
 * Built from what the client may know only: an {@link ArcanaException}'s message (safe by contract),
 * or a fixed text per status; never an exception's own message, SQL or stack text.
 */
public record ErrorEnvelope(int status, JsonObject body) {

    /** Message of an unexpected failure; the reference lets operators find the logged cause. */
    static final String INTERNAL_MESSAGE = "internal error";

    /** The exception's status and code, its message (the code when it has none) and, for {@code conflict}, its reason. */
    public static ErrorEnvelope of(ArcanaException error) {
        return new ErrorEnvelope(error.code().httpStatus(), WireFormat.error(error));
    }

    /**
     * A failure the JAX-RS runtime detected before any Arcana code ran (unknown path, wrong method,
     * wrong media type): its status, with the protocol code closest to it.
     */
    public static ErrorEnvelope ofStatus(int status) {
        return switch (status) {
            case 400 -> with(400, ErrorCode.BAD_REQUEST, "bad request");
            case 401 -> with(401, ErrorCode.UNAUTHORIZED, "not authenticated");
            case 403 -> with(403, ErrorCode.FORBIDDEN, "forbidden");
            case 404 -> with(404, ErrorCode.NOT_FOUND, "no such endpoint");
            case 405 -> with(405, ErrorCode.BAD_REQUEST, "method not allowed");
            case 406 -> with(406, ErrorCode.BAD_REQUEST, "responses are application/json");
            case 413 -> with(413, ErrorCode.TOO_LARGE, "request body too large");
            case 415 -> with(415, ErrorCode.BAD_REQUEST, "request bodies must be application/json");
            case 503 -> with(503, ErrorCode.NOT_READY, "not ready");
            default -> status >= 400 && status < 500
                    ? with(status, ErrorCode.BAD_REQUEST, "bad request")
                    : unexpected(null);
        };
    }

    /** Anything else: 500 {@code internal}, with only a reference to the log entry. */
    public static ErrorEnvelope unexpected(String reference) {
        return with(500, ErrorCode.INTERNAL, reference == null ? INTERNAL_MESSAGE : INTERNAL_MESSAGE + " (ref " + reference + ")");
    }

    public Response toResponse() {
        return Envelopes.response(status, body);
    }

    private static ErrorEnvelope with(int status, ErrorCode code, String message) {
        return new ErrorEnvelope(status, WireFormat.error(new ArcanaException(code, message)));
    }
}
