/**
 * The Arcana client: keeps live views of the server's graphs in a normalised row store, applies
 * `table_diff`/`view_diff` pushes, repairs version gaps with `sync`, and re-establishes every view
 * after a reconnect. A thin composition of the parts that do each job:
 *
 * - `Connection`: connect, status, reconnect with backoff;
 * - `ViewEntries`: the registry of views (by key and by `params_hash`);
 * - `ViewSync`: subscribe, sync and their retries;
 * - `ReplyOrdering`: the order of replies and pushes when they travel separately;
 * - `DiffApplier`: diffs, snapshots and catch-ups applied to the store and the views;
 * - `GarbageCollector` and `StatePersister`: unreferenced rows dropped, state saved and restored.
 */
import type { BackoffOptions } from './backoff.js';
import { Connection, type ConnectionStatus } from './connection.js';
import { DiffApplier } from './diff-applier.js';
import { GarbageCollector } from './garbage-collector.js';
import type { Persistence } from './persistence.js';
import type { Push } from './protocol.js';
import type { ParamsOf, RowOf, ViewKey } from './registry.js';
import { ReplyOrdering } from './reply-ordering.js';
import { StatePersister } from './state-persister.js';
import { RowStore } from './store.js';
import { globalTimers, type Timers } from './timers.js';
import type { Transport } from './transport.js';
import { ViewEntries, viewKey } from './view-entries.js';
import { ViewSync } from './view-sync.js';
import { ViewEntry, ViewHandleImpl, type ViewHandle } from './view.js';

export type { ConnectionStatus } from './connection.js';
export type { Timers } from './timers.js';

export interface ClientOptions {
  transport: Transport;
  /** Shows the last data at once after a reload (stale until synced). */
  persistence?: Persistence;
  backoff?: BackoffOptions;
  /** Jitter source (tests pass a seeded one). */
  random?: () => number;
  /** Errors the client handled by itself (a failed patch repaired by sync, a failed save, ...). */
  onError?: (error: unknown) => void;
  /** Delay (ms) before persisting after a change; default 250. */
  persistDelayMs?: number;
  /** Timers for reconnects and persistence (tests pass their own to control the interleaving). */
  timers?: Timers;
}

export class ArcanaClient {
  readonly store = new RowStore();
  private readonly transport: Transport;
  private readonly entries = new ViewEntries();
  private readonly connection: Connection;
  private readonly ordering: ReplyOrdering;
  private readonly applier: DiffApplier;
  private readonly viewSync: ViewSync;
  private readonly gc: GarbageCollector;
  private readonly persister: StatePersister;
  private readonly started: Promise<void>;

  constructor(private readonly options: ClientOptions) {
    this.transport = options.transport;
    const timers = options.timers ?? globalTimers;
    const reportError = (error: unknown): void => options.onError?.(error);
    this.connection = new Connection(this.transport, {
      opened: () => void this.viewSync.establish(this.entries.all()),
      lost: () => this.onLost(),
      push: (message) => this.onPush(message),
    }, timers, options.backoff, options.random);
    this.ordering = new ReplyOrdering(() => this.transport.ordered !== false);
    this.applier = new DiffApplier(this.store, this.entries, this.ordering, {
      repair: (entries) => void this.viewSync.sync(entries),
      viewChanged: () => this.afterViewChange(),
      reportError,
    });
    this.viewSync = new ViewSync({
      transport: this.transport, entries: this.entries, applier: this.applier, ordering: this.ordering, timers,
      isOpen: () => this.connection.isOpen, reportError, backoff: options.backoff, random: options.random,
    });
    this.gc = new GarbageCollector(() => this.collectGarbage());
    this.persister = new StatePersister(options.persistence, this.store, this.entries, timers, options.persistDelayMs ?? 250, reportError);
    this.started = this.start();
  }

  get status(): ConnectionStatus {
    return this.connection.status;
  }

  /** Resolves once persisted state (if any) is loaded and the first connection attempt has begun. */
  get ready(): Promise<void> {
    return this.started;
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    return this.connection.onStatus(listener);
  }

  /**
   * Subscribes to a view. The handle's `data` is the view's rows (refs resolved, nested refs
   * included); it updates live until `unsubscribe`. Subscribing twice to the same view and params
   * shares one server subscription.
   */
  subscribe<K extends ViewKey>(view: K, params?: ParamsOf<K>): ViewHandle<RowOf<K>> {
    const resolvedParams = { ...(params ?? {}) } as Record<string, unknown>;
    const key = viewKey(view, resolvedParams);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = new ViewEntry(key, view, resolvedParams, this.store);
      this.entries.add(entry);
      if (this.persister.restore(entry)) this.afterViewChange();
      if (this.connection.isOpen) void this.viewSync.establish([entry]);
    }
    const handle = new ViewHandleImpl<RowOf<K>>(entry, () => this.release(entry!));
    entry.handles.add(handle);
    return handle;
  }

  /** Closes the connection for good; handles keep their last data. */
  close(): void {
    this.persister.flush();
    this.connection.close();
  }

  /** The server subscriptions this client holds (for tests and diagnostics). */
  views(): ReadonlyArray<{ view: string; params: Record<string, unknown>; paramsHash?: string; version: number }> {
    return this.entries.all().map((e) => ({ view: e.view, params: e.params, paramsHash: e.hash, version: e.version }));
  }

  private async start(): Promise<void> {
    if (await this.persister.load()) {
      for (const entry of this.entries.all()) if (this.persister.restore(entry)) this.afterViewChange();
    }
    this.connection.connect();
  }

  private onLost(): void {
    for (const entry of this.entries.all()) {
      entry.markStale();
      // diffs held back for a sync that will not answer now; after a server restart they would
      // even belong to subscriptions that no longer exist
      entry.buffered.length = 0;
      entry.syncAgain = false; // the reconnect establishes every view anyway
    }
    this.ordering.forgetEarly();
  }

  private onPush(message: Push): void {
    switch (message?.type) {
      case 'table_diff':
        this.applier.tableDiff(message.data);
        break;
      case 'view_diff':
        this.applier.viewDiff(message.data);
        break;
      case 'resync':
      case 'disconnect':
        void this.viewSync.establish(this.entries.all());
        break;
      default:
        break; // unknown pushes are ignored: newer servers may send more
    }
  }

  private release(entry: ViewEntry): void {
    if (entry.handles.size > 0 || !this.entries.isCurrent(entry)) return;
    this.entries.remove(entry);
    if (entry.hash !== undefined && this.connection.isOpen) this.viewSync.unsubscribe(entry.view, entry.hash);
    this.afterViewChange();
  }

  private afterViewChange(): void {
    this.gc.schedule();
    this.persister.schedule();
  }

  /** Drops the rows that no view references any more. */
  private collectGarbage(): void {
    const keep = new Set<string>();
    for (const entry of this.entries.all()) for (const key of entry.rowKeys) keep.add(key);
    this.persister.keepRows(keep);
    this.store.retainOnly(keep);
    this.applier.retainVersions(keep);
  }
}

export function createClient(options: ClientOptions): ArcanaClient {
  return new ArcanaClient(options);
}
