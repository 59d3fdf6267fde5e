package dev.arcana.api;

/** Stable error codes of the wire protocol, each with its HTTP status. */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400),
    TOO_LARGE("too_large", 413),
    INVALID_PARAMS("invalid_params", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    /** Subscriptions per seance or per identity (user and workspace, across seances). */
    TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions", 429),
    /** Seances per identity (user and workspace). */
    TOO_MANY_SEANCES("too_many_seances", 429),
    /** Live query instances per workspace. */
    TOO_MANY_INSTANCES("too_many_instances", 429),
    /** Views in one sync request (at most the subscriptions a seance may hold). */
    TOO_MANY_VIEWS("too_many_views", 429),
    /** Requests a client has in flight (e.g. WebSocket frames pipelined beyond the connection's queue). */
    TOO_MANY_REQUESTS("too_many_requests", 429),
    ALREADY_STARTED("already_started", 409),
    /** A mutation refused by a business rule of the application ({@link MutationRejectedException}). */
    CONFLICT("conflict", 409),
    NOT_READY("not_ready", 503),
    INTERNAL("internal", 500);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The code as it appears on the wire, e.g. {@code invalid_params}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
