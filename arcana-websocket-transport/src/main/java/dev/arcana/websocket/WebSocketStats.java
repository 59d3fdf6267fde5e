package dev.arcana.websocket;

/**
 * A point-in-time view of the WebSocket transport, for health checks and tests.
 *
 * @param running        accepting connections
 * @param connections    open connections, authenticated or not
 * @param authenticated  connections with an identity
 * @param seances        seances with at least one connection
 * @param seancesInGrace seances whose last connection closed, waiting out the grace period
 * @param queuedMessages messages waiting in all outbound queues (bounded by connections × queue limit)
 * @param shed           connections shed for overflowing their queue since start
 * @param sendTimeouts   connections closed because a send did not complete in time, since start
 */
public record WebSocketStats(boolean running, int connections, int authenticated, int seances, int seancesInGrace,
                             long queuedMessages, long shed, long sendTimeouts) {
}
