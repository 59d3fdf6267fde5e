/**
 * Transport for Centrifugo mode: subscribe/unsubscribe/sync/mutate over Arcana's HTTP endpoints, pushes as
 * Centrifugo publications (each publication's `data` is exactly a WebSocket push frame).
 *
 * The application creates the `centrifuge` client (it decides how connection and subscription
 * tokens are obtained) and passes it, or a factory, here. Channels: the workspace's
 * (`workspace:{id}`, table_diff) and the seance's (`views:{seance}`, view_diff and resync).
 */
import type { MutateReply, MutateRequest, Push, SnapshotData, SyncEntry, SyncRequestView } from '../protocol.js';
import type { Transport, TransportEvents } from '../transport.js';
import { HttpApi, type HttpApiOptions } from './http.js';

/** The part of centrifuge-js's `Subscription` used here. */
export interface CentrifugeSubscriptionLike {
  on(event: 'publication', listener: (ctx: { data: unknown }) => void): unknown;
  on(event: 'subscribed' | 'unsubscribed' | 'subscribing', listener: (ctx: unknown) => void): unknown;
  subscribe(): void;
  unsubscribe(): void;
}

/** The part of centrifuge-js's `Centrifuge` used here. */
export interface CentrifugeLike {
  newSubscription(channel: string, options?: Record<string, unknown>): CentrifugeSubscriptionLike;
  getSubscription?(channel: string): CentrifugeSubscriptionLike | null;
  removeSubscription?(subscription: CentrifugeSubscriptionLike | null): void;
  on(event: 'connected' | 'disconnected' | 'connecting', listener: (ctx: unknown) => void): unknown;
  connect(): void;
  disconnect(): void;
}

export interface ChannelNames {
  workspace: string;
  seance: string;
  /** default `workspace` */
  workspaceNamespace?: string;
  /** default `views` */
  viewsNamespace?: string;
}

/** The two channels of one client: `workspace:{id}` and `views:{seance}` (namespaces configurable, as on the server). */
export function channelsFor(names: ChannelNames): string[] {
  return [`${names.workspaceNamespace ?? 'workspace'}:${names.workspace}`, `${names.viewsNamespace ?? 'views'}:${names.seance}`];
}

export interface CentrifugoTransportOptions {
  centrifuge: CentrifugeLike | (() => CentrifugeLike);
  channels: string[];
  http: HttpApiOptions;
  /** Options passed to `newSubscription` per channel (e.g. a `getToken`). */
  subscriptionOptions?: (channel: string) => Record<string, unknown> | undefined;
  /**
   * How often, while open, to call `GET {mount}/active` so that the server keeps this seance: it
   * cannot see Centrifugo connections and releases a seance idle for `arcana.seance-idle-ttl-ms`
   * (5 minutes by default). Default 60000; 0 turns the keep-alive off.
   */
  keepAliveMs?: number;
}

const DEFAULT_KEEP_ALIVE_MS = 60_000;

export class CentrifugoTransport implements Transport {
  /** centrifuge-js reconnects (and resubscribes) by itself. */
  readonly reconnectsItself = true;
  /** HTTP replies and publications on two channels race each other. */
  readonly ordered = false;
  private readonly api: HttpApi;
  private centrifuge: CentrifugeLike | undefined;
  private subscriptions: CentrifugeSubscriptionLike[] = [];
  private readonly subscribed = new Set<string>();
  private connected = false;
  private open = false;
  private events: TransportEvents | undefined;
  private keepAliveTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: CentrifugoTransportOptions) {
    this.api = new HttpApi(options.http);
  }

  connect(events: TransportEvents): void {
    this.events = events;
    if (this.centrifuge) return;
    const centrifuge = typeof this.options.centrifuge === 'function' ? this.options.centrifuge() : this.options.centrifuge;
    this.centrifuge = centrifuge;
    centrifuge.on('connected', () => {
      this.connected = true;
      this.update();
    });
    centrifuge.on('disconnected', () => this.lost());
    centrifuge.on('connecting', () => this.lost());
    for (const channel of this.options.channels) {
      const existing = centrifuge.getSubscription?.(channel) ?? null;
      const subscription = existing ?? centrifuge.newSubscription(channel, this.options.subscriptionOptions?.(channel));
      subscription.on('publication', (ctx) => this.events?.push(ctx.data as Push));
      subscription.on('subscribed', () => {
        this.subscribed.add(channel);
        this.update();
      });
      const down = (): void => {
        this.subscribed.delete(channel);
        this.update();
      };
      subscription.on('subscribing', down);
      subscription.on('unsubscribed', down);
      subscription.subscribe();
      this.subscriptions.push(subscription);
    }
    centrifuge.connect();
  }

  disconnect(): void {
    this.stopKeepAlive();
    for (const subscription of this.subscriptions) {
      subscription.unsubscribe();
      this.centrifuge?.removeSubscription?.(subscription);
    }
    this.subscriptions = [];
    this.subscribed.clear();
    this.centrifuge?.disconnect();
    this.centrifuge = undefined;
    this.connected = false;
    this.open = false;
  }

  subscribe(view: string, params: Record<string, unknown>): Promise<SnapshotData> {
    return this.api.subscribe(view, params);
  }

  unsubscribe(view: string, paramsHash: string): Promise<void> {
    return this.api.unsubscribe(view, paramsHash);
  }

  sync(views: SyncRequestView[]): Promise<SyncEntry[]> {
    return this.api.sync(views);
  }

  /** Over HTTP (Centrifugo carries only pushes). */
  mutate(request: MutateRequest): Promise<MutateReply> {
    return this.api.mutate(request);
  }

  private lost(): void {
    this.connected = false;
    this.update();
  }

  /**
   * Open when connected with every channel subscribed. Each transition to open makes the client
   * sync: publications may have been missed while a channel was down.
   */
  private update(): void {
    const open = this.connected && this.options.channels.every((c) => this.subscribed.has(c));
    if (open === this.open) return;
    this.open = open;
    if (open) {
      this.startKeepAlive();
      this.events?.open();
    } else {
      this.stopKeepAlive();
      this.events?.close('centrifugo connection or subscription lost');
    }
  }

  private startKeepAlive(): void {
    const every = this.options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    if (every <= 0 || this.keepAliveTimer !== undefined) return;
    // a failed call is not an error of its own: the next one, or the sync after a reconnect, covers it
    this.keepAliveTimer = setInterval(() => void this.api.get('active').catch(() => undefined), every);
  }

  private stopKeepAlive(): void {
    if (this.keepAliveTimer === undefined) return;
    clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }
}
