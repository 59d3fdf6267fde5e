/**
 * The default Arcana transport: a Jakarta WebSocket endpoint at {@code {arcana.mount}/ws} and
 * the {@link dev.arcana.api.spi.Transport} bean {@code @Named("websocket")}.
 *
 * <p>Public: {@link dev.arcana.websocket.WebSocketTransport} (the bean),
 * {@link dev.arcana.websocket.WebSocketSettings} (its configuration keys),
 * {@link dev.arcana.websocket.WebSocketStats}, and the container-facing
 * {@link dev.arcana.websocket.WebSocketRegistration} and
 * {@link dev.arcana.websocket.ArcanaWebSocketEndpoint}. Everything else is package-private and
 * free of the container: {@code WebSocketHub} (connections, publishing, sweep),
 * {@code OutboundQueue} (bounded queue, one send in flight, shedding), {@code SeanceRegistry}
 * (seances, workspaces, grace period) and {@code FrameDispatcher} (frames to engine calls and
 * replies).
 */
package dev.arcana.websocket;
