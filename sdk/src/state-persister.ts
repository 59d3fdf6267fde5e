/**
 * Saves the views and their rows (debounced) and restores them after a reload: a persisted view is shown
 * at once, stale, when a handle asks for it; until then its rows are kept. The pending mutations are
 * saved with them.
 */
import type { Persistence, PersistedMutation, PersistedState, PersistedView } from './persistence.js';
import type { RowStore } from './store.js';
import type { Timers } from './timers.js';
import { viewKey, type ViewEntries } from './view-entries.js';
import { ViewEntry } from './view.js';

export class StatePersister {
  /** persisted views no handle has claimed yet */
  private readonly unclaimed = new Map<string, PersistedView>();
  private saveTimer: unknown;

  constructor(
    private readonly persistence: Persistence | undefined,
    private readonly store: RowStore,
    private readonly entries: ViewEntries,
    private readonly timers: Timers,
    private readonly delayMs: number,
    private readonly reportError: (error: unknown) => void,
    private readonly pendingMutations: () => PersistedMutation[],
  ) {}

  /** True while a persisted view with this hash has not been claimed by a subscribe. */
  holdsUnclaimed(paramsHash: string): boolean {
    for (const view of this.unclaimed.values()) if (view.paramsHash === paramsHash) return true;
    return false;
  }

  async load(): Promise<PersistedState | undefined> {
    if (!this.persistence) return undefined;
    try {
      const state = await this.persistence.load();
      if (state) {
        this.store.merge(state.tables);
        for (const view of state.views) this.unclaimed.set(viewKey(view.view, view.params), view);
      }
      return state;
    } catch (error) {
      this.reportError(error);
      return undefined;
    }
  }

  /** Shows the persisted state of `entry`'s view, if any; true when it did. */
  restore(entry: ViewEntry): boolean {
    const saved = this.unclaimed.get(entry.key);
    if (!saved || entry.hash !== undefined) return false;
    this.unclaimed.delete(entry.key);
    this.entries.setHash(entry, saved.paramsHash);
    entry.restore(saved.refs, saved.version, saved.total);
    return true;
  }

  /** Row keys of persisted views not claimed yet: restorable until a subscribe claims them. */
  keepRows(into: Set<string>): void {
    for (const view of this.unclaimed.values()) for (const key of ViewEntry.keysOf(view.refs)) into.add(key);
  }

  schedule(): void {
    if (!this.persistence || this.saveTimer !== undefined) return;
    this.saveTimer = this.timers.setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, this.delayMs);
  }

  /** Saves now when a save is scheduled (the client closes). */
  flush(): void {
    if (this.saveTimer === undefined) return;
    this.timers.clearTimeout(this.saveTimer);
    void this.save();
  }

  /**
   * Empties what is saved: no views, no rows (the pending mutations are writes, not cache: they stay).
   * The unclaimed persisted views are forgotten; live views are saved again with their next change.
   */
  async clear(): Promise<void> {
    this.unclaimed.clear();
    if (this.saveTimer !== undefined) {
      this.timers.clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    if (!this.persistence) return;
    try {
      await this.persistence.save({ views: [], tables: {}, mutations: this.pendingMutations() });
    } catch (error) {
      this.reportError(error);
    }
  }

  private async save(): Promise<void> {
    const persistence = this.persistence;
    if (!persistence) return;
    const views: PersistedView[] = [...this.unclaimed.values()];
    const keys = new Set<string>();
    for (const view of views) for (const key of ViewEntry.keysOf(view.refs)) keys.add(key);
    for (const entry of this.entries.all()) {
      if (entry.hash === undefined || entry.status === 'loading' || entry.status === 'error') continue;
      views.push({ view: entry.view, params: entry.params, paramsHash: entry.hash, version: entry.version, refs: entry.refs, total: entry.total });
      for (const key of entry.rowKeys) keys.add(key);
    }
    try {
      await persistence.save({ views, tables: this.store.export(keys), mutations: this.pendingMutations() });
    } catch (error) {
      this.reportError(error);
    }
  }
}
