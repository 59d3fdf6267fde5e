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
 * - `GarbageCollector` and `StatePersister`: unreferenced rows dropped, state saved and restored;
 * - `MutationQueue`, `Overlay` and `EffectsWatch`: mutations sent in order, their optimistic overlays
 *   shown over the server's state until their effects are in;
 * - `ChangeBatch`: each synchronous step notifies every view once.
 */
import type { BackoffOptions } from './backoff.js';
import { ChangeBatch } from './change-batch.js';
import { Connection, type ConnectionStatus } from './connection.js';
import { DiffApplier } from './diff-applier.js';
import { GarbageCollector } from './garbage-collector.js';
import { EffectsWatch } from './mutations/effects.js';
import { isValidMutationId, MutationIds } from './mutations/mutation-ids.js';
import { MutationQueue, type MutationState } from './mutations/mutation-queue.js';
import { recordOps, type OptimisticTx, type OverlayOp } from './mutations/overlay-ops.js';
import { Overlay } from './mutations/overlay.js';
import type { Persistence } from './persistence.js';
import { ArcanaError, type Push, type Row } from './protocol.js';
import type { MutationKey, MutationParamsOf, MutationResultOf, ParamsOf, RowOf, ViewKey } from './registry.js';
import { ReplyOrdering } from './reply-ordering.js';
import { StatePersister } from './state-persister.js';
import { RowWatch } from './row-watch.js';
import { RowStore } from './store.js';
import { globalTimers, type Timers } from './timers.js';
import type { Transport } from './transport.js';
import { ViewEntries, viewKey } from './view-entries.js';
import { ViewSync } from './view-sync.js';
import { ViewEntry, ViewHandleImpl, type ViewHandle } from './view.js';

export type { ConnectionStatus } from './connection.js';
export type { Timers } from './timers.js';

export interface MutateOptions {
  /**
   * Edits shown at once in every affected view, until the views hold the server's effects of the
   * mutation (then dropped in the same step, so nothing flickers) or the server refuses it (then
   * rolled back). Recorded as plain data: kept with the queue across reloads.
   */
  optimistic?: (tx: OptimisticTx) => void;
  /** The id the server deduplicates by (1–64 of `A-Z a-z 0-9 . _ : -`); default `<random>:<counter>`. */
  mutationId?: string;
}

/** `mutate`'s params and options: the params may be left out when the action requires none. */
export type MutateArgs<A> = Record<string, never> extends MutationParamsOf<A>
  ? [params?: MutationParamsOf<A>, options?: MutateOptions]
  : [params: MutationParamsOf<A>, options?: MutateOptions];

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
  /** Timers for reconnects, retries and persistence (tests pass their own to control the interleaving). */
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
  private readonly batch: ChangeBatch;
  private readonly overlay: Overlay;
  private readonly mutations: MutationQueue;
  private readonly mutationIds = new MutationIds();
  private readonly rowWatch: RowWatch;
  private readonly started: Promise<void>;

  constructor(private readonly options: ClientOptions) {
    this.transport = options.transport;
    const timers = options.timers ?? globalTimers;
    const reportError = (error: unknown): void => options.onError?.(error);
    this.batch = new ChangeBatch(() => this.mutations.dropShown(), () => this.rowWatch.check());
    this.overlay = new Overlay(this.store);
    this.rowWatch = new RowWatch((table, id) => this.overlay.row(table, id));
    this.connection = new Connection(this.transport, {
      opened: () => {
        void this.viewSync.establish(this.entries.all());
        this.mutations.resume();
      },
      lost: () => this.onLost(),
      push: (message) => this.onPush(message),
    }, timers, options.backoff, options.random);
    this.ordering = new ReplyOrdering(() => this.transport.ordered !== false);
    this.applier = new DiffApplier(this.store, this.entries, this.ordering, this.batch, {
      repair: (entries) => void this.viewSync.sync(entries),
      viewChanged: () => this.afterViewChange(),
      reportError,
    });
    this.viewSync = new ViewSync({
      transport: this.transport, entries: this.entries, applier: this.applier, ordering: this.ordering, timers,
      isOpen: () => this.connection.isOpen, reportError, backoff: options.backoff, random: options.random,
    });
    this.gc = new GarbageCollector(() => this.collectGarbage());
    this.persister = new StatePersister(options.persistence, this.store, this.entries, timers, options.persistDelayMs ?? 250, reportError,
      () => this.mutations.persisted());
    const effects = new EffectsWatch({
      entries: this.entries,
      applier: this.applier,
      receivedReply: () => this.ordering.receivedReply(),
      reread: (entries) => {
        if (this.connection.isOpen) void this.viewSync.establish(entries); // else the reconnect reads every view
      },
      awaitsClaim: (hash) => this.persister.holdsUnclaimed(hash),
    });
    this.mutations = new MutationQueue({
      send: (request) => this.transport.mutate!(request),
      isOpen: () => this.connection.isOpen,
      awaitEffects: (reply, ops) => effects.await(reply, ops),
      effectsShown: (shown) => effects.shown(shown),
      changed: (ops) => this.overlayChanged(ops),
      step: (run) => this.batch.run(run),
      timers, backoff: options.backoff, random: options.random,
    });
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
      entry = new ViewEntry(key, view, resolvedParams, this.overlay, this.batch);
      this.entries.add(entry);
      if (this.persister.restore(entry)) this.afterViewChange();
      if (this.connection.isOpen) void this.viewSync.establish([entry]);
    }
    const handle = new ViewHandleImpl<RowOf<K>>(entry, () => this.release(entry!));
    entry.handles.add(handle);
    return handle;
  }

  /**
   * Runs the server action `action` with `params`; resolves with what its handler returned, rejects
   * with an ArcanaError (`code`, `message`, and `reason` for `conflict`) when the server refuses it.
   *
   * Mutations are sent one at a time, in the order they were made. While the connection is down they
   * wait (persisted with the store, when persistence is on); a mutation whose outcome was lost is sent
   * again with the same `mutation_id`, which the server answers with the first outcome, so none runs
   * twice. `internal`, `too_many_requests` and `not_ready` are retried with backoff; other errors are final.
   */
  mutate<A extends MutationKey>(action: A, ...[params, options = {}]: MutateArgs<A>): Promise<MutationResultOf<A>> {
    if (!this.transport.mutate) return Promise.reject(new ArcanaError('unsupported', 'this transport cannot send mutations'));
    const id = options.mutationId ?? this.mutationIds.next();
    if (!isValidMutationId(id)) return Promise.reject(new ArcanaError('bad_request', `mutation id must be 1-64 of A-Z a-z 0-9 . _ : -, got ${JSON.stringify(id)}`));
    if (this.mutations.has(id)) return Promise.reject(new ArcanaError('bad_request', `mutation id ${id} is already pending`));
    let ops: OverlayOp[];
    try {
      ops = options.optimistic ? recordOps(options.optimistic, (table, rowId, recorded) => this.overlay.row(table, rowId, recorded)) : [];
    } catch (error) {
      return Promise.reject(error);
    }
    let result!: Promise<unknown>;
    this.batch.run(() => {
      result = this.mutations.enqueue(id, action, { ...(params ?? {}) } as Record<string, unknown>, ops);
    });
    return result as Promise<MutationResultOf<A>>;
  }

  /** The mutations not done yet, oldest first (their overlays are shown). */
  pendingMutations(): ReadonlyArray<{ id: string; action: string; state: MutationState }> {
    return this.mutations.pending();
  }

  /**
   * A row as views show it: the server's row with the edits of pending mutations laid over it;
   * undefined when no view holds it (the client keeps only rows that some live view references).
   */
  getRow<T extends Row = Row>(table: string, id: string | number): T | undefined {
    return this.overlay.row(table, String(id)) as T | undefined;
  }

  /** Every row of `table` the client holds, by id, as views show them (pending mutations included). */
  getTable<T extends Row = Row>(table: string): ReadonlyMap<string, T> {
    const rows = new Map<string, T>();
    for (const id of new Set([...this.store.ids(table), ...this.overlay.idsIn(table)])) {
      const row = this.overlay.row(table, id);
      if (row) rows.set(id, row as T);
    }
    return rows;
  }

  /**
   * Calls `listener` with the row (as {@link getRow} reads it) each time it changes, after the views
   * were notified of the same step; returns the function that stops it. Watching a row does not
   * keep it: it is held while a view references it.
   */
  watchRow<T extends Row = Row>(table: string, id: string | number, listener: (row: T | undefined) => void): () => void {
    return this.rowWatch.watch(table, String(id), listener as (row: Row | undefined) => void);
  }

  /**
   * Empties the persistence of views and rows (pending mutations are writes, not cache: they stay
   * saved and queued) and drops the rows no live view references, including those kept for views a
   * reload has not asked for yet. Live views keep their data (the server's current state, not a
   * cache) and are saved again with their next change.
   */
  async clearCache(): Promise<void> {
    const cleared = this.persister.clear(); // forgets the unclaimed views at once: their rows go below
    this.batch.run(() => this.collectGarbage());
    await cleared;
  }

  /**
   * Closes the connection for good: no reconnect, no more pushes; handles keep their last data and
   * status; pending mutations stay in the persistence (when configured) and are sent by the next
   * client created with it. A closed client is not reopened: create a new one.
   */
  close(): void {
    this.mutations.close();
    this.persister.flush();
    this.connection.close();
  }

  /** The server subscriptions this client holds (for tests and diagnostics). */
  views(): ReadonlyArray<{ view: string; params: Record<string, unknown>; paramsHash?: string; version: number }> {
    return this.entries.all().map((e) => ({ view: e.view, params: e.params, paramsHash: e.hash, version: e.version }));
  }

  private async start(): Promise<void> {
    const state = await this.persister.load();
    if (state) {
      this.batch.run(() => {
        for (const entry of this.entries.all()) if (this.persister.restore(entry)) this.afterViewChange();
        this.mutations.restore(state.mutations ?? []);
      });
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
    this.batch.run(() => { // a mutation may have waited only for this view
      this.entries.remove(entry);
      if (entry.hash !== undefined && this.connection.isOpen) this.viewSync.unsubscribe(entry.view, entry.hash);
      this.afterViewChange();
    });
  }

  /** Shows the pending mutations' overlays: the views `ops` may touch change (once, at the end of the step). */
  private overlayChanged(ops: readonly OverlayOp[]): void {
    // judged on what the views showed before: a row shown only through a dropped insert is matched by its target
    const touched = this.entries.all().filter((entry) => Overlay.touches(ops, entry));
    this.overlay.setLayers(this.mutations.layers());
    for (const entry of touched) entry.rowsChanged();
    this.persister.schedule();
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
