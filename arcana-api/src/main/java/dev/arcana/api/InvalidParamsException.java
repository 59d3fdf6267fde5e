package dev.arcana.api;

/** A parameter failed validation against the graph's schema. HTTP 400, code {@code invalid_params}. */
public class InvalidParamsException extends ArcanaException {
    private static final long serialVersionUID = 1L;
    private final String param;

    public InvalidParamsException(String param, String message) {
        super(ErrorCode.INVALID_PARAMS, message);
        this.param = param;
    }

    /** The offending parameter's name. */
    public String param() {
        return param;
    }
}
