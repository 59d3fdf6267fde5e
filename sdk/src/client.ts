/**
 * The Arcana client: keeps live views of the server's graphs in a normalised row store, applies
 * `table_diff`/`view_diff` pushes, repairs version gaps with `sync`, and re-establishes every view
 * after a reconnect.
 */
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { PatchError } from './patch.js';
import type { Persistence, PersistedState, PersistedView } from './persistence.js';
import {
  ArcanaError,
  DisconnectedError,
  type Push,
  type SnapshotData,
  type SyncEntry,
  type TableDiff,
  type Tables,
  type ViewDiff,
} from './protocol.js';
import { RowStore } from './store.js';
import type { Transport } from './transport.js';
import { ViewEntry, ViewHandleImpl, type ViewHandle } from './view.js';
import type { ParamsOf, RowOf, ViewKey } from './registry.js';

export type ConnectionStatus = 'connecting' | 'live' | 'offline' | 'closed';

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

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function viewKey(view: string, params: Record<string, unknown>): string {
  const sorted = Object.keys(params).sort().map((key) => [key, params[key]]);
  return `${view}\u0000${JSON.stringify(sorted)}`;
}

export class ArcanaClient {
  readonly store = new RowStore();
  private readonly transport: Transport;
  private readonly entries = new Map<string, ViewEntry>();
  private readonly byHash = new Map<string, ViewEntry>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  /** row key → last seen table_diff `ver`; unknown after the row arrived in a snapshot */
  private readonly rowVersions = new Map<string, number>();
  /**
   * Recent view_diffs of subscriptions not known (yet): over HTTP + Centrifugo a publication can overtake
   * the subscribe reply; replayed after the snapshot that names their hash.
   */
  private readonly earlyDiffs: Array<{ seq: number; diff: ViewDiff }> = [];
  /** hashes with an unsubscribe in flight: their diffs belong to the ended subscription */
  private readonly retiring = new Map<string, number>();
  /**
   * table_diffs received while a subscribe or sync is in flight. Its reply's rows were read before
   * some of them (HTTP replies and Centrifugo publications race; a row not yet held is not patched):
   * after merging a reply's rows, the diffs received since its request are applied again, in order.
   */
  private readonly rowLog: Array<{ seq: number; diff: TableDiff }> = [];
  /** counts received diffs, to tell those that arrived after a request was sent */
  private pushSeq = 0;
  private readonly requestsSince: number[] = [];
  private persisted = new Map<string, PersistedView>();
  private connectionStatus: ConnectionStatus = 'connecting';
  private connected = false;
  private attempt = 0;
  private reconnectTimer: unknown;
  private persistTimer: unknown;
  private readonly timers: Timers;
  private gcQueued = false;
  private readonly started: Promise<void>;

  constructor(private readonly options: ClientOptions) {
    this.transport = options.transport;
    this.timers = options.timers ?? globalTimers;
    this.started = this.start();
  }

  get status(): ConnectionStatus {
    return this.connectionStatus;
  }

  /** Resolves once persisted state (if any) is loaded and the first connection attempt has begun. */
  get ready(): Promise<void> {
    return this.started;
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
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
      this.entries.set(key, entry);
      this.restorePersisted(entry);
      if (this.connected) void this.establish([entry]);
    }
    const handle = new ViewHandleImpl<RowOf<K>>(entry, () => this.release(entry!));
    entry.handles.add(handle);
    return handle;
  }

  /** Closes the connection for good; handles keep their last data. */
  close(): void {
    this.setStatus('closed');
    this.timers.clearTimeout(this.reconnectTimer);
    if (this.persistTimer !== undefined) {
      this.timers.clearTimeout(this.persistTimer);
      void this.persistNow();
    }
    this.connected = false;
    this.transport.disconnect();
  }

  /** The server subscriptions this client holds (for tests and diagnostics). */
  views(): ReadonlyArray<{ view: string; params: Record<string, unknown>; paramsHash?: string; version: number }> {
    return [...this.entries.values()].map((e) => ({ view: e.view, params: e.params, paramsHash: e.hash, version: e.version }));
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  private async start(): Promise<void> {
    if (this.options.persistence) {
      try {
        const state = await this.options.persistence.load();
        if (state) this.loadPersisted(state);
      } catch (error) {
        this.reportError(error);
      }
    }
    if (this.connectionStatus !== 'closed') this.connect();
  }

  private connect(): void {
    this.setStatus('connecting');
    this.transport.connect({
      open: () => this.onOpen(),
      close: () => this.onClose(),
      push: (message) => this.onPush(message),
    });
  }

  private onOpen(): void {
    if (this.connectionStatus === 'closed') return;
    this.connected = true;
    this.attempt = 0;
    this.setStatus('live');
    void this.establish([...this.entries.values()]);
  }

  private onClose(): void {
    if (this.connectionStatus === 'closed') return;
    this.connected = false;
    this.setStatus('offline');
    for (const entry of this.entries.values()) {
      entry.markStale();
      // diffs held back for a sync that will not answer now; after a server restart they would
      // even belong to subscriptions that no longer exist
      entry.buffered.length = 0;
      entry.syncAgain = false; // the reconnect establishes every view anyway
    }
    this.earlyDiffs.length = 0;
    if (this.transport.reconnectsItself) return;
    this.timers.clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(this.attempt++, this.options.backoff, this.options.random);
    this.reconnectTimer = this.timers.setTimeout(() => {
      if (this.connectionStatus !== 'closed') this.connect();
    }, delay);
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.connectionStatus === status) return;
    this.connectionStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }

  // ---- establishing views ----------------------------------------------------------------------

  /** Brings views up to date: sync those the server may know, subscribe the others. */
  private async establish(entries: ViewEntry[]): Promise<void> {
    // a view with a request in flight may miss what this call is about (a resync): sync it once that is answered
    for (const entry of entries) if (entry.syncing || entry.subscribing) entry.syncAgain = true;
    const known = entries.filter((e) => e.hash !== undefined && !e.syncing && !e.subscribing);
    const fresh = entries.filter((e) => e.hash === undefined && !e.subscribing && !e.syncing);
    await Promise.all([known.length > 0 ? this.sync(known) : undefined, ...fresh.map((e) => this.subscribeOnServer(e))]);
  }

  private async subscribeOnServer(entry: ViewEntry): Promise<void> {
    entry.subscribing = true;
    const since = this.beginRequest();
    try {
      const snapshot = await this.transport.subscribe(entry.view, entry.params);
      if (this.entries.get(entry.key) !== entry) {
        // released while the subscribe was in flight; unless a newer handle on the same view and
        // params shares the server subscription, end it
        if (!this.entries.has(entry.key)) this.unsubscribeOnServer(entry.view, snapshot.params_hash);
        return;
      }
      entry.subscribeFailures = 0;
      this.applySnapshot(entry, snapshot, since);
    } catch (error) {
      if (!(error instanceof DisconnectedError)) this.subscribeFailed(entry, asArcanaError(error));
    } finally {
      entry.subscribing = false;
      this.replayBuffered(entry); // while the row log still covers the request
      this.endRequest(since);
    }
    this.syncAgainIfAsked([entry]);
  }

  /**
   * A subscribe the server could not answer now (starting up: `not_ready`; a failed first run:
   * `internal`) is retried with backoff while the view is wanted; other errors (bad params,
   * unknown view, forbidden, too many subscriptions) are final.
   */
  private subscribeFailed(entry: ViewEntry, error: ArcanaError): void {
    entry.fail(error);
    if (!TRANSIENT_ERRORS.has(error.code)) return;
    const delay = backoffDelay(entry.subscribeFailures++, this.options.backoff, this.options.random);
    this.timers.setTimeout(() => {
      if (this.entries.get(entry.key) !== entry || !this.connected) return; // released, or a reconnect re-establishes it
      if (entry.hash === undefined && !entry.subscribing && !entry.syncing) void this.subscribeOnServer(entry);
    }, delay);
  }

  private syncAgainIfAsked(entries: ViewEntry[]): void {
    const again = entries.filter((e) => e.syncAgain && !e.syncing && !e.subscribing && this.entries.get(e.key) === e);
    for (const entry of again) entry.syncAgain = false;
    if (again.length > 0 && this.connected) void this.establish(again);
  }

  private applySnapshot(entry: ViewEntry, snapshot: Pick<SnapshotData, 'params_hash' | 'version' | 'refs' | 'tables' | 'total'>, since: number): void {
    this.mergeReplyRows(snapshot.tables, since);
    this.setHash(entry, snapshot.params_hash);
    entry.uncertain = false;
    entry.replace(snapshot.refs, snapshot.version, snapshot.total);
    this.afterViewChange();
    const early = this.earlyDiffs.filter(({ diff }) => diff.params_hash === snapshot.params_hash);
    if (early.length > 0) {
      this.earlyDiffs.splice(0, this.earlyDiffs.length, ...this.earlyDiffs.filter(({ diff }) => diff.params_hash !== snapshot.params_hash));
      // only diffs received after the request was sent can be newer than its reply; replayed (stale ones
      // ignored) once the entry is idle
      for (const item of early) if (item.seq > since) entry.buffered.push(item);
      if (!entry.syncing && !entry.subscribing) this.replayBuffered(entry);
    }
  }

  /** Syncs views with the server; pushes for them that arrive meanwhile are buffered and replayed after. */
  private async sync(entries: ViewEntry[]): Promise<void> {
    for (const entry of entries) entry.syncing = true;
    const since = this.beginRequest();
    try {
      await this.syncAndApply(entries, since);
    } finally {
      this.endRequest(since);
    }
    this.syncAgainIfAsked(entries);
  }

  private async syncAndApply(entries: ViewEntry[], since: number): Promise<void> {
    let results: SyncEntry[];
    try {
      results = await this.transport.sync(entries.map((e) => ({
        // version 0 asks for a snapshot: after a lost sync reply, the server may hold a subscription
        // (re-created for that request) whose version means nothing to us
        view: e.view, params_hash: e.hash!, version: e.uncertain ? 0 : e.version, params: e.params,
      })));
    } catch (error) {
      for (const entry of entries) {
        entry.syncing = false;
        entry.uncertain = true;
      }
      if (!(error instanceof DisconnectedError)) {
        this.reportError(error);
        for (const entry of entries) entry.fail(asArcanaError(error));
      }
      return;
    }
    const resubscribe: ViewEntry[] = [];
    entries.forEach((entry, index) => {
      const result = results[index];
      if (this.entries.get(entry.key) !== entry) return;
      if (!result) {
        resubscribe.push(entry);
      } else if (result.mode === 'snapshot') {
        this.applySnapshot(entry, result, since);
      } else if (result.mode === 'catch_up') {
        if (!this.applyCatchUp(entry, result, since)) resubscribe.push(entry);
      } else if (result.code === 'not_found') {
        resubscribe.push(entry);
      } else {
        entry.fail(new ArcanaError(result.code, result.error));
      }
    });
    for (const entry of entries) entry.syncing = false;
    for (const entry of resubscribe) {
      this.setHash(entry, undefined);
      await this.subscribeOnServer(entry);
    }
    for (const entry of entries) this.replayBuffered(entry);
  }

  private applyCatchUp(entry: ViewEntry, result: Extract<SyncEntry, { mode: 'catch_up' }>, since: number): boolean {
    try {
      let total = entry.total;
      let refs = entry.refs;
      let version = entry.version;
      for (const patch of result.patches) {
        if (patch.version <= version) continue;
        if (patch.version !== version + 1) throw new PatchError(`catch-up skips from version ${version} to ${patch.version}`);
        refs = entry.patched(refs, patch.refs_patch);
        version = patch.version;
        if ('total' in patch) total = patch.total;
        this.mergeReplyRows(patch.tables, since);
      }
      if (version !== result.version) throw new PatchError(`catch-up ends at version ${version}, the server is at ${result.version}`);
      if ('total' in result) total = result.total;
      this.mergeReplyRows(result.tables, since);
      this.setHash(entry, result.params_hash);
      entry.uncertain = false;
      entry.replace(refs, version, total);
      this.afterViewChange();
      return true;
    } catch (error) {
      this.reportError(error);
      return false;
    }
  }

  private replayBuffered(entry: ViewEntry): void {
    const buffered = entry.buffered.splice(0);
    for (const { seq, diff } of buffered) this.onViewDiff(diff, seq);
  }

  private setHash(entry: ViewEntry, hash: string | undefined): void {
    if (entry.hash !== undefined && this.byHash.get(entry.hash) === entry) this.byHash.delete(entry.hash);
    entry.hash = hash;
    if (hash !== undefined) this.byHash.set(hash, entry);
  }

  private release(entry: ViewEntry): void {
    if (entry.handles.size > 0 || this.entries.get(entry.key) !== entry) return;
    this.entries.delete(entry.key);
    if (entry.hash !== undefined) {
      this.byHash.delete(entry.hash);
      if (this.connected) this.unsubscribeOnServer(entry.view, entry.hash);
    }
    this.afterViewChange();
  }

  private unsubscribeOnServer(view: string, hash: string): void {
    this.retiring.set(hash, (this.retiring.get(hash) ?? 0) + 1);
    const done = (): void => {
      const left = (this.retiring.get(hash) ?? 1) - 1;
      if (left > 0) this.retiring.set(hash, left);
      else this.retiring.delete(hash);
    };
    this.transport.unsubscribe(view, hash).then(done, done);
  }

  // ---- pushes ----------------------------------------------------------------------------------

  private onPush(message: Push): void {
    switch (message?.type) {
      case 'table_diff':
        this.onTableDiff(message.data);
        break;
      case 'view_diff':
        this.onViewDiff(message.data);
        break;
      case 'resync':
      case 'disconnect':
        void this.establish([...this.entries.values()]);
        break;
      default:
        break; // unknown pushes are ignored: newer servers may send more
    }
  }

  private onTableDiff(diff: TableDiff, replayed = false): void {
    const id = String(diff.id);
    const key = `${diff.table}\u0000${id}`;
    if (!replayed) {
      this.pushSeq++;
      if (this.requestsSince.length > 0 && this.transport.ordered === false) this.rowLog.push({ seq: this.pushSeq, diff });
    }
    if (!this.store.has(diff.table, id)) return; // no view of ours references it (yet)
    const known = this.rowVersions.get(key);
    if (diff.deleted) {
      this.store.delete(diff.table, id);
      this.rowVersions.delete(key);
    } else {
      try {
        this.store.patch(diff.table, id, diff.patch ?? []);
        this.rowVersions.set(key, diff.ver);
      } catch (error) {
        this.reportError(error);
        this.rowVersions.delete(key);
        void this.sync(this.entriesReferencing(key).filter((e) => !e.syncing && e.hash !== undefined));
        return;
      }
      if (known !== undefined && diff.ver > known + 1) {
        // a row diff was missed: the catch-up carries the current data of every referenced row
        void this.sync(this.entriesReferencing(key).filter((e) => !e.syncing && e.hash !== undefined));
      }
    }
    for (const entry of this.entriesReferencing(key)) entry.rowsChanged();
  }

  /** @param arrival the diff's place among received diffs (given when a held-back diff is replayed) */
  private onViewDiff(diff: ViewDiff, arrival?: number): void {
    const seq = arrival ?? ++this.pushSeq;
    const entry = this.byHash.get(diff.params_hash);
    if (!entry) {
      if (!this.retiring.has(diff.params_hash)) {
        this.earlyDiffs.push({ seq, diff });
        if (this.earlyDiffs.length > 256) this.earlyDiffs.shift();
      }
      return;
    }
    if (entry.syncing || entry.subscribing) {
      entry.buffered.push({ seq, diff });
      return;
    }
    if (diff.version <= entry.version) return; // stale: raced a subscribe or sync reply
    if (diff.version !== entry.version + 1) {
      void this.sync([entry]);
      return;
    }
    let refs;
    try {
      refs = entry.patched(entry.refs, diff.refs_patch);
    } catch (error) {
      this.reportError(error);
      void this.sync([entry]);
      return;
    }
    // a replayed diff's rows may be older than row diffs that arrived after it
    this.mergeReplyRows(diff.tables, seq);
    entry.replace(refs, diff.version, diff.total);
    this.afterViewChange();
  }

  private entriesReferencing(rowKey: string): ViewEntry[] {
    return [...this.entries.values()].filter((e) => e.rowKeys.has(rowKey));
  }

  private forgetRowVersions(keys: string[]): void {
    for (const key of keys) this.rowVersions.delete(key);
  }

  private beginRequest(): number {
    this.requestsSince.push(this.pushSeq);
    return this.pushSeq;
  }

  private endRequest(since: number): void {
    this.requestsSince.splice(this.requestsSince.indexOf(since), 1);
    const oldest = this.requestsSince.length === 0 ? Infinity : Math.min(...this.requestsSince);
    while (this.rowLog.length > 0 && this.rowLog[0].seq <= oldest) this.rowLog.shift();
  }

  /** Merges rows of a reply, then re-applies the row diffs received since its request was sent. */
  private mergeReplyRows(tables: Tables | undefined, since: number): void {
    const written = this.store.merge(tables);
    this.forgetRowVersions(written);
    if (written.length === 0) return;
    const keys = new Set(written);
    for (const { seq, diff } of this.rowLog) {
      if (seq > since && keys.has(`${diff.table}\u0000${String(diff.id)}`)) this.onTableDiff(diff, true);
    }
  }

  // ---- garbage collection and persistence ------------------------------------------------------

  private afterViewChange(): void {
    if (!this.gcQueued) {
      this.gcQueued = true;
      queueMicrotask(() => {
        this.gcQueued = false;
        this.collectGarbage();
      });
    }
    this.schedulePersist();
  }

  /** Drops the rows that no view references any more. */
  private collectGarbage(): void {
    const keep = new Set<string>();
    for (const entry of this.entries.values()) for (const key of entry.rowKeys) keep.add(key);
    for (const view of this.persisted.values()) {
      for (const key of ViewEntry.keysOf(view.refs)) keep.add(key); // restorable until a subscribe claims them
    }
    this.store.retainOnly(keep);
    for (const key of this.rowVersions.keys()) if (!keep.has(key)) this.rowVersions.delete(key);
  }

  private loadPersisted(state: PersistedState): void {
    this.store.merge(state.tables);
    for (const view of state.views) this.persisted.set(viewKey(view.view, view.params), view);
    for (const entry of this.entries.values()) this.restorePersisted(entry);
  }

  private restorePersisted(entry: ViewEntry): void {
    const saved = this.persisted.get(entry.key);
    if (!saved || entry.hash !== undefined) return;
    this.persisted.delete(entry.key);
    this.setHash(entry, saved.paramsHash);
    entry.restore(saved.refs, saved.version, saved.total);
    this.afterViewChange();
  }

  private schedulePersist(): void {
    if (!this.options.persistence || this.persistTimer !== undefined) return;
    this.persistTimer = this.timers.setTimeout(() => {
      this.persistTimer = undefined;
      void this.persistNow();
    }, this.options.persistDelayMs ?? 250);
  }

  private async persistNow(): Promise<void> {
    const persistence = this.options.persistence;
    if (!persistence) return;
    const views: PersistedView[] = [...this.persisted.values()];
    const keys = new Set<string>();
    for (const view of views) for (const key of ViewEntry.keysOf(view.refs)) keys.add(key);
    for (const entry of this.entries.values()) {
      if (entry.hash === undefined || entry.status === 'loading' || entry.status === 'error') continue;
      views.push({ view: entry.view, params: entry.params, paramsHash: entry.hash, version: entry.version, refs: entry.refs, total: entry.total });
      for (const key of entry.rowKeys) keys.add(key);
    }
    try {
      await persistence.save({ views, tables: this.store.export(keys) });
    } catch (error) {
      this.reportError(error);
    }
  }

  private reportError(error: unknown): void {
    this.options.onError?.(error);
  }
}

/** Server error codes after which the same subscribe may succeed later. */
const TRANSIENT_ERRORS = new Set(['not_ready', 'internal']);

function asArcanaError(error: unknown): ArcanaError {
  if (error instanceof ArcanaError) return error;
  return new ArcanaError('internal', error instanceof Error ? error.message : String(error));
}

export function createClient(options: ClientOptions): ArcanaClient {
  return new ArcanaClient(options);
}
