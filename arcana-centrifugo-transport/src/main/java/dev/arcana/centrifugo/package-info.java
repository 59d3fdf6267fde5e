/**
 * The Centrifugo transport ({@code arcana.transport=centrifugo}): pushes go to Centrifugo's server
 * HTTP API instead of the application's own WebSocket connections, so that Centrifugo (horizontally
 * scaled) holds the browsers' connections.
 *
 * <ul>
 *   <li>{@link dev.arcana.centrifugo.CentrifugoTransport}: the CDI bean {@code @Named("centrifugo")};
 *   {@link dev.arcana.centrifugo.CentrifugoClient} is the same without the container.</li>
 *   <li>Channels: {@code workspace:{workspaceId}} ({@code table_diff}), {@code views:{seanceId}}
 *   (everything for one seance); each publication's {@code data} is the push object the WebSocket
 *   transport sends as a frame.</li>
 *   <li>Delivery (one {@code /api/batch} per invalidation, bounded queue and in-flight requests,
 *   retries with backoff and jitter on network errors and 5xx, errors in 200 bodies counted) and
 *   the stated overflow behaviour (dropped messages → {@code resync} on the channel that lost them,
 *   the workspace channel for a lost {@code table_diff}): see {@code Publisher}.</li>
 *   <li>{@link dev.arcana.centrifugo.CentrifugoTokens}: HS256 connection and subscription tokens;
 *   Centrifugo's user is the seance. {@code GET {arcana.mount}/centrifugo/token} serves them.</li>
 *   <li>{@link dev.arcana.centrifugo.CentrifugoReadinessCheck}: readiness {@code arcana-centrifugo}.</li>
 *   <li>{@link dev.arcana.centrifugo.CentrifugoSettings}: the {@code arcana.centrifugo.*} keys.</li>
 * </ul>
 */
package dev.arcana.centrifugo;
