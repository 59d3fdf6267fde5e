package dev.arcana.api;

/** Thrown by a factory (or a policy) when the caller may not see a view. HTTP 403. */
public class ForbiddenException extends ArcanaException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(ErrorCode.FORBIDDEN, message);
    }
}
