/**
 * A real WebSocket server (the `ws` package) speaking Arcana's frames on top of the ModelServer, so
 * that the WebSocket transport is tested over real sockets: replies with `reply_to`, pushes, errors,
 * closing and restarting.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ModelServer } from './model-server.js';

export class ModelWsServer {
  private wss: WebSocketServer | undefined;
  readonly sockets = new Set<WebSocket>();
  readonly frames: Array<Record<string, unknown>> = [];
  /** when true, requests get no reply (a half-open connection) */
  silent = false;
  port = 0;

  constructor(readonly model: ModelServer) {
    model.listener = (push) => {
      for (const socket of this.sockets) socket.send(JSON.stringify(push));
    };
  }

  async start(port = 0): Promise<void> {
    const wss = new WebSocketServer({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    this.wss = wss;
    this.port = (wss.address() as AddressInfo).port;
    wss.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (raw) => this.handle(socket, JSON.parse(String(raw))));
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/arcana/ws`;
  }

  /** Stops like a killed server: sockets dropped, subscriptions lost. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss?.close(() => resolve()) ?? resolve());
    this.wss = undefined;
    this.model.restart();
  }

  private handle(socket: WebSocket, frame: Record<string, unknown>): void {
    this.frames.push(frame);
    if (this.silent) return;
    const reply = (body: Record<string, unknown>) => socket.send(JSON.stringify({ reply_to: frame.id, ...body }));
    try {
      switch (frame.type) {
        case 'subscribe':
          reply({ type: 'snapshot', ...this.model.subscribe(String(frame.view), (frame.params ?? {}) as Record<string, unknown>) });
          break;
        case 'unsubscribe':
          this.model.unsubscribe(String(frame.params_hash));
          reply({ type: 'ok' });
          break;
        case 'sync':
          reply({ type: 'sync_result', views: this.model.sync(frame.views as never) });
          break;
        case 'auth':
          if (frame.token !== 'good') {
            reply({ type: 'error', code: 'unauthorized', message: 'bad token' });
            socket.close(1008);
          } else {
            reply({ type: 'ok' });
          }
          break;
        case 'mutate': {
          const reply_ = this.model.mutate(String(frame.action), (frame.params ?? {}) as Record<string, unknown>, String(frame.mutation_id));
          reply({ type: 'mutate_ok', ...reply_ });
          break;
        }
        case 'ping':
          reply({ type: 'pong' });
          break;
        default:
          reply({ type: 'error', code: 'bad_request', message: `unknown frame type '${String(frame.type)}'` });
      }
    } catch (error) {
      const reason = (error as { reason?: string }).reason;
      reply({ type: 'error', code: (error as { code?: string }).code ?? 'internal', error: (error as Error).message, ...(reason ? { reason } : {}) });
    }
  }
}
