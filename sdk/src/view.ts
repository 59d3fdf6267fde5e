/** A view's client-side state (shared by every handle on the same view and params) and the handles apps hold. */
import { applyPatch, PatchError, type JsonValue, type PatchOperation } from './patch.js';
import type { ArcanaError, Ref, ViewDiff } from './protocol.js';
import type { ChangeBatch, Notifiable } from './change-batch.js';
import { collectRowKeys } from './store.js';

/**
 * What a view shows: its refs and their rows. The client's source lays the overlays of pending
 * mutations over the server's state (refs and rows).
 */
export interface ViewSource {
  refsOf(entry: ViewEntry): readonly Ref[];
  resolve(ref: Ref): Record<string, unknown> | undefined;
}

/**
 * - `loading`: no data yet;
 * - `stale`: data shown may be out of date (restored from persistence, or the connection is down);
 * - `live`: in step with the server;
 * - `error`: the server refused the view (see `error`).
 */
export type ViewStatus = 'loading' | 'stale' | 'live' | 'error';

/** What the client is asking the server about a view right now. */
export type ViewRequest = 'idle' | 'subscribing' | 'syncing';

export interface ViewHandle<T = Record<string, unknown>> {
  readonly view: string;
  readonly params: Record<string, unknown>;
  /** The view's rows in order: refs resolved to rows, nested refs included (with pending mutations' overlays). */
  readonly data: T[];
  /** The refs shown (the server's, with pending mutations' overlays). */
  readonly refs: readonly Ref[];
  /** The server's total, moved by the rows pending mutations add to or remove from the view. */
  readonly total: number | undefined;
  readonly version: number;
  readonly status: ViewStatus;
  readonly error: ArcanaError | undefined;
  readonly paramsHash: string | undefined;
  /** Calls `listener` after every change of data, total, version or status; returns the remover. */
  onChange(listener: () => void): () => void;
  /** Resolves when the view first has data (live or stale); rejects when the server refuses it. */
  ready(): Promise<void>;
  /** Stops receiving updates; the server subscription ends when no other handle shares it. */
  unsubscribe(): void;
}

export class ViewEntry implements Notifiable {
  hash: string | undefined;
  refs: Ref[] = [];
  version = 0;
  total: number | undefined;
  status: ViewStatus = 'loading';
  error: ArcanaError | undefined;
  rowKeys: Set<string> = new Set();
  /** the request in flight for this view, if any */
  request: ViewRequest = 'idle';
  /** a sync was sent but its reply lost: our version may not match the server's subscription */
  uncertain = false;
  /** asked to sync (resync) while a request was in flight */
  syncAgain = false;
  /** subscribes in a row that failed with a transient server error (retried with backoff) */
  subscribeFailures = 0;
  /** view_diffs received while a sync or subscribe was in flight */
  readonly buffered: Array<{ seq: number; diff: ViewDiff }> = [];
  /**
   * Diff number (see ReplyOrdering) before the request whose reply last set this view's state
   * (snapshot or catch-up); -1 when none has. A reply to a request sent after a mutation's reply
   * includes the mutation's effects, whatever its version.
   */
  establishedSince = -1;
  readonly handles = new Set<ViewHandleImpl<unknown>>();
  private cachedData: unknown[] | undefined;
  private cachedRefs: readonly Ref[] | undefined;

  constructor(
    readonly key: string,
    readonly view: string,
    readonly params: Record<string, unknown>,
    private readonly source: ViewSource,
    private readonly batch?: ChangeBatch,
  ) {}

  static keysOf(refs: readonly Ref[]): Set<string> {
    return collectRowKeys(refs);
  }

  /** The refs shown: the server's, with the overlays of pending mutations. */
  get shownRefs(): readonly Ref[] {
    this.cachedRefs ??= this.source.refsOf(this);
    return this.cachedRefs;
  }

  get data(): unknown[] {
    this.cachedData ??= this.shownRefs.map((ref) => this.source.resolve(ref)).filter((row) => row !== undefined);
    return this.cachedData;
  }

  /** The total shown: the server's, plus the rows shown beyond (or minus those hidden from) the server's refs. */
  get shownTotal(): number | undefined {
    return this.total === undefined ? undefined : Math.max(0, this.total + this.data.length - this.refs.length);
  }

  /** The refs after `patch` (RFC 6902); throws PatchError and changes nothing when it does not apply. */
  patched(refs: Ref[], patch: readonly PatchOperation[]): Ref[] {
    const result = applyPatch(refs as unknown as JsonValue, patch);
    if (!Array.isArray(result)) throw new PatchError('the refs patch did not yield an array');
    return result as unknown as Ref[];
  }

  /** New server state for this view: it is live. */
  replace(refs: Ref[], version: number, total: number | undefined): void {
    this.refs = refs;
    this.version = version;
    this.total = total;
    this.status = 'live';
    this.error = undefined;
    this.rowKeys = collectRowKeys(refs);
    this.changed();
  }

  /** State restored from persistence: shown at once, stale until synced. */
  restore(refs: Ref[], version: number, total: number | undefined): void {
    this.replace(refs, version, total);
    this.status = 'stale';
    this.changed();
  }

  markStale(): void {
    if (this.status !== 'live') return;
    this.status = 'stale';
    this.changed();
  }

  fail(error: ArcanaError): void {
    this.status = 'error';
    this.error = error;
    this.changed();
  }

  /** Rows it shows changed (or the overlays over it did). */
  rowsChanged(): void {
    this.changed();
  }

  notifyHandles(): void {
    for (const handle of this.handles) handle.notify();
  }

  private changed(): void {
    this.cachedData = undefined;
    this.cachedRefs = undefined;
    if (!this.batch?.defer(this)) this.notifyHandles();
  }
}

export class ViewHandleImpl<T> implements ViewHandle<T> {
  private readonly listeners = new Set<() => void>();
  private released = false;

  constructor(
    private readonly entry: ViewEntry,
    private readonly onRelease: () => void,
  ) {}

  get view() { return this.entry.view; }
  get params() { return this.entry.params; }
  get data() { return this.entry.data as T[]; }
  get refs() { return this.entry.shownRefs; }
  get total() { return this.entry.shownTotal; }
  get version() { return this.entry.version; }
  get status() { return this.entry.status; }
  get error() { return this.entry.error; }
  get paramsHash() { return this.entry.hash; }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.status === 'error') reject(this.error);
        else if (this.status !== 'loading') resolve();
        else return false;
        return true;
      };
      if (check()) return;
      const remove = this.onChange(() => { if (check()) remove(); });
    });
  }

  unsubscribe(): void {
    if (this.released) return;
    this.released = true;
    this.listeners.clear();
    this.entry.handles.delete(this as ViewHandleImpl<unknown>);
    this.onRelease();
  }

  /** @internal */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
