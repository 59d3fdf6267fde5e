package dev.arcana.api;

/**
 * Base of every error the engine reports to a caller. The message is safe to show to a client:
 * it never carries SQL or stack text (causes stay in the cause chain, for logs only).
 */
public class ArcanaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public ArcanaException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ArcanaException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ArcanaException badRequest(String message) {
        return new ArcanaException(ErrorCode.BAD_REQUEST, message);
    }

    public static ArcanaException unauthorized(String message) {
        return new ArcanaException(ErrorCode.UNAUTHORIZED, message);
    }

    public static ArcanaException internal(String message, Throwable cause) {
        return new ArcanaException(ErrorCode.INTERNAL, message, cause);
    }
}
