package dev.arcana.api;

/** The seance already holds the configured maximum of subscriptions. HTTP 429. */
public class TooManySubscriptionsException extends ArcanaException {
    private static final long serialVersionUID = 1L;

    public TooManySubscriptionsException(int limit) {
        super(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "subscription limit of " + limit + " per seance reached");
    }
}
