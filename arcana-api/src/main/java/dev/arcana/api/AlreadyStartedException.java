package dev.arcana.api;

/** {@code start()} on a running engine, or a registration after start. */
public class AlreadyStartedException extends ArcanaException {
    private static final long serialVersionUID = 1L;

    public AlreadyStartedException(String message) {
        super(ErrorCode.ALREADY_STARTED, message);
    }
}
