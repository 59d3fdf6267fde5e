package dev.arcana.api;

/** An unknown graph or action, or a subscription the seance does not hold. HTTP 404. */
public class NotFoundException extends ArcanaException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message);
    }

    public static NotFoundException unknownView(String view) {
        return new NotFoundException("unknown view '" + view + "'");
    }

    public static NotFoundException unknownAction(String action) {
        return new NotFoundException("unknown action '" + action + "'");
    }

    public static NotFoundException unknownSubscription(String view, String paramsHash) {
        return new NotFoundException("no subscription to view '" + view + "' with params_hash '" + paramsHash + "'");
    }
}
