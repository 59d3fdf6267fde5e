package dev.arcana.api.spi;

import java.util.List;

/**
 * Delivers pushes to clients. Implementations must never block the caller (the invalidator):
 * they queue and send asynchronously, and when they cannot keep up with a client they tell it
 * to {@code resync} instead of dropping messages silently.
 */
public interface Transport {

    /**
     * Delivers the messages of one invalidation, in order. Messages to one recipient must arrive
     * in the order given, and in the order of successive calls.
     */
    void publish(List<Delivery> deliveries);

    /** Closes every connection of a seance. */
    default void disconnectSeance(String seanceId) {
    }

    /** Current state for health checks, e.g. {@code "up"}. */
    default String state() {
        return "up";
    }
}
