package dev.arcana.centrifugo;

/**
 * What the transport has done since it started.
 *
 * @param published     publications Centrifugo accepted (one per channel of a broadcast)
 * @param requests      HTTP requests sent, retries included
 * @param retries       requests repeated after a network error, a timeout or a 5xx
 * @param failedRequests requests given up: retries exhausted, or refused (4xx, unreadable reply)
 * @param apiErrors     errors Centrifugo reported inside HTTP 200 bodies (top-level or per command)
 * @param dropped       messages never sent: queue overflow, failed requests, API errors, or
 *                      superseded by a pending resync
 * @param resyncs       resync publications Centrifugo accepted (one per channel)
 * @param queued        invalidations waiting to be sent now
 * @param inFlight      requests under way now
 * @param pendingResyncs channels owed a resync now
 */
public record CentrifugoStats(long published, long requests, long retries, long failedRequests, long apiErrors,
                              long dropped, long resyncs, int queued, int inFlight, int pendingResyncs) {
}
