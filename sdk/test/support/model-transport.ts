/**
 * An in-memory connection between an ArcanaClient and the ModelServer with the WebSocket
 * transport's ordering: replies and pushes share one queue, so a reply precedes every later push.
 * Tests deliver the queue step by step and can drop messages, cut the connection or restart the server.
 */
import { ArcanaError, DisconnectedError, type MutateReply, type MutateRequest, type Push, type SnapshotData, type SyncEntry, type SyncRequestView } from '../../src/protocol.js';
import type { Transport, TransportEvents } from '../../src/transport.js';
import type { ModelServer } from './model-server.js';

type Outbound = { kind: 'push'; push: Push } | { kind: 'reply'; deliver: () => void };

export class ModelTransport implements Transport {
  private events: TransportEvents | undefined;
  private queue: Outbound[] = [];
  private pending = new Set<(error: Error) => void>();
  connected = false;
  connects = 0;
  /** when set, pushes are dropped (as by an overflowing queue) */
  dropPushes = false;
  /** when set, pushes overtake queued replies (HTTP replies racing Centrifugo publications) */
  overtake = false;
  /** false when pushes may overtake replies (the client must know: see Transport.ordered) */
  ordered = true;
  /** when set, a mutation's reply goes ahead of its own pushes (HTTP replies racing Centrifugo publications) */
  mutateReplyFirst = false;
  readonly requests: string[] = [];
  /** the mutate requests sent, in order */
  readonly mutateRequests: MutateRequest[] = [];

  constructor(private readonly server: ModelServer) {
    server.listener = (push) => {
      if (!this.connected) return;
      if (this.dropPushes) return;
      if (this.overtake) {
        // ahead of the replies queued after the last push: pushes keep their order (as on a Centrifugo channel)
        let lastPush = -1;
        this.queue.forEach((item, index) => { if (item.kind === 'push') lastPush = index; });
        this.queue.splice(lastPush + 1, 0, { kind: 'push', push });
      } else {
        this.queue.push({ kind: 'push', push });
      }
    };
  }

  connect(events: TransportEvents): void {
    this.events = events;
    this.connects++;
    this.connected = true;
    this.queue.push({ kind: 'reply', deliver: () => events.open() });
  }

  disconnect(): void {
    this.cut();
  }

  /** The connection breaks: queued messages are lost, requests in flight fail. */
  cut(): void {
    if (process.env.TRACE) console.log('cut', this.connected);
    if (!this.connected) return;
    this.connected = false;
    this.queue = [];
    for (const reject of this.pending) reject(new DisconnectedError('cut'));
    this.pending.clear();
    this.events?.close('cut');
  }

  /** Sends a resync push (as the server does after dropping messages for this client). */
  resync(): void {
    if (this.connected) this.queue.push({ kind: 'push', push: { type: 'resync', data: { reason: 'slow_consumer' } } });
  }

  subscribe(view: string, params: Record<string, unknown>): Promise<SnapshotData> {
    return this.request('subscribe', () => this.server.subscribe(view, params));
  }

  unsubscribe(_view: string, paramsHash: string): Promise<void> {
    return this.request('unsubscribe', () => this.server.unsubscribe(paramsHash));
  }

  sync(views: SyncRequestView[]): Promise<SyncEntry[]> {
    return this.request('sync', () => this.server.sync(views));
  }

  mutate(request: MutateRequest): Promise<MutateReply> {
    this.mutateRequests.push(request);
    return this.request('mutate', () => this.server.mutate(request.action, request.params, request.mutation_id), this.mutateReplyFirst);
  }

  /** Delivers one queued message; false when the queue is empty. */
  deliverOne(): boolean {
    const next = this.queue.shift();
    if (!next) return false;
    if (process.env.TRACE) console.log('deliver', next.kind === 'push' ? JSON.stringify(next.push) : next.deliver.toString().slice(0, 60));
    if (next.kind === 'push') this.events?.push(next.push);
    else next.deliver();
    return true;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** @param replyFirst the reply goes ahead of the pushes the request caused */
  private request<T>(name: string, handle: () => T, replyFirst = false): Promise<T> {
    this.requests.push(name);
    if (process.env.TRACE) console.log('request', name, this.connected);
    if (!this.connected) return Promise.reject(new DisconnectedError());
    return new Promise<T>((resolve, reject) => {
      const at = this.queue.length;
      let outcome: () => void;
      try {
        const result = handle(); // the server answers at once; the answer travels in order
        if (process.env.TRACE) console.log('  answer', JSON.stringify(result));
        outcome = () => resolve(result);
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'internal';
        outcome = () => reject(new ArcanaError(code, (error as Error).message, undefined, (error as { reason?: string }).reason));
      }
      this.pending.add(reject);
      const reply: Outbound = { kind: 'reply', deliver: () => { this.pending.delete(reject); outcome(); } };
      if (replyFirst) this.queue.splice(Math.min(at, this.queue.length), 0, reply);
      else this.queue.push(reply);
    });
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Delivers the queue message by message, letting the client react to each, until nothing is queued
 * and the client is connected (a reconnect timer may still be pending after a cut).
 */
export async function settle(transport: ModelTransport, timers?: ManualTimers, maxSteps = 100_000): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    await tick();
    if (transport.deliverOne()) continue;
    await tick();
    if (transport.queued > 0) continue;
    if (transport.connected) return;
    if (timers) timers.fireAll();
    else await new Promise((resolve) => setTimeout(resolve, 2)); // the client's reconnect timer
  }
  throw new Error('did not settle');
}

/** Timers that fire only when the test says so: the interleaving of reconnects becomes part of the seed. */
export class ManualTimers {
  private pending = new Map<number, () => void>();
  private next = 1;

  setTimeout = (callback: () => void): unknown => {
    const id = this.next++;
    this.pending.set(id, callback);
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const callback of due) callback();
  }
}
