package dev.arcana.api;

/** The engine is not running (not started yet, or stopping). HTTP 503, code {@code not_ready}. */
public class NotStartedException extends ArcanaException {
    private static final long serialVersionUID = 1L;

    public NotStartedException() {
        super(ErrorCode.NOT_READY, "engine is not running");
    }
}
