/** The default transport: Arcana's WebSocket protocol at `{mount}/ws` (requests with `id`, replies with `reply_to`, pushes). */
import {
  ArcanaError,
  DisconnectedError,
  type MutateReply,
  type MutateRequest,
  type Push,
  type SnapshotData,
  type SyncEntry,
  type SyncRequestView,
} from '../protocol.js';
import type { Transport, TransportEvents } from '../transport.js';

/** The part of the WebSocket API used here (the browser's, or e.g. the `ws` package's in Node). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type WebSocketFactory = new (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  /** e.g. `wss://example.com/arcana/ws?…`; a function is called on every (re)connect. */
  url: string | (() => string | Promise<string>);
  /** Defaults to `globalThis.WebSocket`. */
  WebSocket?: WebSocketFactory;
  /** Sent as the first frame (`{"type":"auth","token"}`) when the handshake cannot carry identity. */
  token?: () => string | Promise<string>;
  /** A request without a reply after this long fails (and the connection is considered dead); default 15 000 ms. */
  requestTimeoutMs?: number;
  /** Application-level ping interval that detects half-open connections; default 20 000 ms, 0 turns it off. */
  pingIntervalMs?: number;
}

interface Pending {
  resolve(reply: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

export class WebSocketTransport implements Transport {
  private socket: WebSocketLike | undefined;
  private events: TransportEvents | undefined;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private generation = 0;

  constructor(private readonly options: WebSocketTransportOptions) {}

  connect(events: TransportEvents): void {
    this.events = events;
    const generation = ++this.generation;
    void this.open(generation);
  }

  disconnect(): void {
    this.generation++;
    this.drop('closed by the client');
  }

  async subscribe(view: string, params: Record<string, unknown>): Promise<SnapshotData> {
    const reply = await this.request({ type: 'subscribe', view, params });
    const { reply_to: _r, type: _t, ...snapshot } = reply;
    return snapshot as unknown as SnapshotData;
  }

  async unsubscribe(view: string, paramsHash: string): Promise<void> {
    await this.request({ type: 'unsubscribe', view, params_hash: paramsHash });
  }

  async sync(views: SyncRequestView[]): Promise<SyncEntry[]> {
    const reply = await this.request({ type: 'sync', views });
    return reply.views as SyncEntry[];
  }

  /** The `mutate` frame; `mutate_ok` arrives after the mutation's diffs (one ordered queue per connection). */
  async mutate(request: MutateRequest): Promise<MutateReply> {
    const { reply_to: _r, type: _t, ...reply } = await this.request({ type: 'mutate', ...request });
    const fields = reply as Partial<MutateReply>;
    return { ...fields, mutation_id: String(fields.mutation_id ?? request.mutation_id), data: fields.data ?? null, views: fields.views ?? [], rows: fields.rows ?? [], replayed: fields.replayed === true };
  }

  private async open(generation: number): Promise<void> {
    let socket: WebSocketLike;
    try {
      const url = typeof this.options.url === 'function' ? await this.options.url() : this.options.url;
      const Factory = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketFactory }).WebSocket;
      if (!Factory) throw new Error('no WebSocket implementation: pass options.WebSocket');
      if (generation !== this.generation) return;
      socket = new Factory(url);
    } catch (error) {
      if (generation === this.generation) this.events?.close(String(error));
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => undefined; // a close event follows
    socket.onclose = (event) => {
      if (this.socket === socket) this.drop(`closed ${event?.code ?? ''} ${event?.reason ?? ''}`.trim());
    };
    socket.onopen = async () => {
      if (this.socket !== socket) return;
      try {
        if (this.options.token) await this.request({ type: 'auth', token: await this.options.token() });
      } catch {
        return; // the server closes with 1008; the close handler reconnects
      }
      this.startPings(socket);
      this.events?.open();
    };
  }

  /** Forgets the socket, fails the requests in flight and reports the close (once). */
  private drop(reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    clearInterval(this.pingTimer);
    socket.onopen = socket.onmessage = socket.onclose = null;
    try {
      socket.close();
    } catch {
      // already closing
    }
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new DisconnectedError(reason));
      this.pending.delete(id);
    }
    this.events?.close(reason);
  }

  private startPings(socket: WebSocketLike): void {
    const interval = this.options.pingIntervalMs ?? 20_000;
    if (interval <= 0) return;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.socket === socket) this.request({ type: 'ping' }).catch(() => undefined);
    }, interval);
  }

  private request(frame: Record<string, unknown>): Promise<Record<string, unknown>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return Promise.reject(new DisconnectedError());
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ArcanaError('timeout', `no reply to '${String(frame.type)}' within ${this.timeoutMs()} ms`));
        // a connection that does not answer is dead (half-open): drop it, the client reconnects
        if (this.socket === socket) this.drop('request timed out');
      }, this.timeoutMs());
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ id, ...frame }));
    });
  }

  private timeoutMs(): number {
    return this.options.requestTimeoutMs ?? 15_000;
  }

  private receive(data: unknown): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(String(data));
    } catch {
      return; // not JSON: not ours
    }
    if (message.reply_to !== undefined) {
      const id = String(message.reply_to);
      const pending = this.pending.get(id);
      if (!pending) return;
      this.pending.delete(id);
      clearTimeout(pending.timer);
      if (message.type === 'error') {
        const reason = typeof message.reason === 'string' ? message.reason : undefined;
        pending.reject(new ArcanaError(String(message.code), String(message.message ?? message.error ?? message.code), undefined, reason));
      } else {
        pending.resolve(message);
      }
      return;
    }
    if (message.type === 'error') return; // an error about a frame that could not be read
    this.events?.push(message as unknown as Push);
  }
}
