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
     *
     * <p>The engine calls this under a workspace lock. It must therefore neither block (on the
     * network, a full queue, another client) nor call back into the engine ({@code Arcana} or any
     * of its methods, e.g. {@code releaseSeance} after shedding a slow client): a {@code subscribe}
     * may hold the seance's lock while it waits for this workspace lock, so such a call can
     * deadlock. Whatever a publish decides that needs the engine (releasing a shed client's seance,
     * closing its connections) must run later, on an executor.
     */
    void publish(List<Delivery> deliveries);

    /** Closes every connection of a seance. */
    default void disconnectSeance(String seanceId) {
    }

    /**
     * Whether this transport holds the seance: a live connection of it, or one in the transport's
     * reconnect grace period. The engine releases a seance that no transport holds and that made no
     * call for its idle TTL ({@code arcana.seance-idle-ttl-ms}); a transport that cannot know (HTTP
     * requests with pushes through Centrifugo) answers false, and its clients keep their seance with
     * calls (the SDK's keep-alive).
     */
    default boolean holdsSeance(String seanceId) {
        return false;
    }

    /** Current state for health checks, e.g. {@code "up"}. */
    default String state() {
        return "up";
    }
}
