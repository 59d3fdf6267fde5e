/**
 * Whether the client's state holds a mutation's effects, by its reply (docs/PROTOCOL.md, "Knowing the
 * effects are in your views"): every listed subscription has reached its `version`, every listed row
 * its `ver`. A view or row whose state came from a reply to a request sent after the mutation's reply
 * holds them too, whatever its version (after a resubscribe or a snapshot, versions start again).
 * Over WebSocket this holds on arrival of `mutate_ok`, unless the view's diffs are held back behind a
 * sync in flight; then it holds once they are replayed.
 */
import type { DiffApplier } from '../diff-applier.js';
import { rowKey } from '../store.js';
import type { ViewEntries } from '../view-entries.js';
import type { Effects } from './mutation-queue.js';

export class EffectsWatch {
  constructor(
    private readonly entries: ViewEntries,
    private readonly applier: DiffApplier,
    /** True while a persisted view with this hash may still be claimed (then shown, stale) by a subscribe. */
    private readonly awaitsClaim: (paramsHash: string) => boolean,
  ) {}

  shown(effects: Effects): boolean {
    return effects.views.every((view) => this.viewShows(view.params_hash, view.version, effects.replyAt))
      && effects.rows.every((row) => this.rowShows(rowKey(row.table, String(row.id)), row.ver, effects.replyAt));
  }

  private viewShows(hash: string, version: number, replyAt: number): boolean {
    const entry = this.entries.byParamsHash(hash);
    if (!entry) return !this.awaitsClaim(hash); // a view we no longer show
    return entry.status === 'error' || entry.version >= version || entry.establishedSince >= replyAt;
  }

  private rowShows(key: string, ver: number, replyAt: number): boolean {
    if (this.entries.referencing(key).length === 0) return true; // no view of ours shows it
    return this.applier.rowVersionAtLeast(key, ver) || this.applier.rowReadSince(key) >= replyAt;
  }
}
