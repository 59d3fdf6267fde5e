/**
 * Whether the client's state holds a mutation's effects, by its reply (docs/PROTOCOL.md, "Knowing the
 * effects are in your views"): every listed subscription has reached its `version`, every listed row
 * its `ver`. A view or row whose state came from a reply to a request sent after the mutation's reply
 * holds them too, whatever its version (after a resubscribe or a snapshot, versions start again).
 * Over WebSocket this holds on arrival of `mutate_ok`, unless the view's diffs are held back behind a
 * sync in flight; then it holds once they are replayed.
 *
 * Two cases need the views read again (a sync) before the overlay may go:
 * - a `replayed` reply whose effects are not in: the first reply, and its pushes, may have been lost
 *   with a connection, and state read since proves nothing (the mutation may have run after it);
 * - an overlay edit of a view or row the reply does not list (the server changed nothing there, e.g. a
 *   delete of a row someone else deleted first): no version says when that view has the server's
 *   state; it may still lack pushes of earlier transactions (an HTTP reply overtakes them; a resync is
 *   pending), and dropping the overlay would show the old state again for a moment. A good prediction
 *   is listed, so this costs a sync only when the optimistic edit guessed wrong;
 * - a listed subscription that no view of ours holds yet while one of that view is being subscribed:
 *   its snapshot was asked for before the reply, and when the subscription was ended and made again
 *   meanwhile (same hash), its versions started again and say nothing.
 */
import type { DiffApplier } from '../diff-applier.js';
import type { MutateReply } from '../protocol.js';
import { rowKey } from '../store.js';
import type { ViewEntries } from '../view-entries.js';
import type { ViewEntry } from '../view.js';
import type { Effects } from './mutation-queue.js';
import { isRowOp, type OverlayOp } from './overlay-ops.js';
import { Overlay } from './overlay.js';

export interface EffectsWatchOptions {
  entries: ViewEntries;
  applier: DiffApplier;
  /** Numbers the reply among received messages (see ReplyOrdering). */
  receivedReply(): number;
  /** Reads these views again (sync), now or at the next connect. */
  reread(entries: ViewEntry[]): void;
  /** True while a persisted view with this hash may still be claimed (then shown, stale) by a subscribe. */
  awaitsClaim(paramsHash: string): boolean;
}

export class EffectsWatch {
  private readonly entries: ViewEntries;
  private readonly applier: DiffApplier;

  constructor(private readonly o: EffectsWatchOptions) {
    this.entries = o.entries;
    this.applier = o.applier;
  }

  /** What to wait for before dropping the overlay `ops` of the mutation that `reply` answers. */
  await(reply: MutateReply, ops: readonly OverlayOp[]): Effects {
    const effects: Effects = { views: reply.views, rows: reply.rows, reread: [], replyAt: this.o.receivedReply() };
    let reread: ViewEntry[] = [];
    if (reply.replayed && !this.shown(effects)) reread = this.listed(effects);
    reread = [...new Set([...reread, ...this.unlisted(effects, ops), ...this.beingSubscribed(effects)])];
    if (reread.length > 0) {
      effects.reread = reread.map((entry) => entry.key);
      this.o.reread(reread);
    }
    return effects;
  }

  shown(effects: Effects): boolean {
    return effects.views.every((view) => this.viewShows(view.params_hash, view.version, effects.replyAt))
      && effects.rows.every((row) => this.rowShows(rowKey(row.table, String(row.id)), row.ver, effects.replyAt))
      && effects.reread.every((key) => this.reread(key, effects.replyAt));
  }

  /** The views that show the listed effects (listed subscriptions, and the views showing listed rows). */
  private listed(effects: Effects): ViewEntry[] {
    const entries = new Set<ViewEntry>();
    for (const view of effects.views) {
      const entry = this.entries.byParamsHash(view.params_hash);
      if (entry) entries.add(entry);
    }
    for (const row of effects.rows) for (const entry of this.entries.referencing(rowKey(row.table, String(row.id)))) entries.add(entry);
    return [...entries];
  }

  /** The views the overlay edits where the reply lists nothing: its versions cannot tell when they are current. */
  private unlisted(effects: Effects, ops: readonly OverlayOp[]): ViewEntry[] {
    const listedViews = new Set(effects.views.map((view) => view.params_hash));
    const listedRows = new Set(effects.rows.map((row) => rowKey(row.table, String(row.id))));
    const covered = (op: OverlayOp, entry: ViewEntry): boolean => (entry.hash !== undefined && listedViews.has(entry.hash))
      || (isRowOp(op) && listedRows.has(rowKey(op.table, op.id)));
    return this.entries.all().filter((entry) => ops.some((op) => Overlay.touches([op], entry) && !covered(op, entry)));
  }

  private beingSubscribed(effects: Effects): ViewEntry[] {
    const unknown = effects.views.filter((view) => !this.entries.byParamsHash(view.params_hash)).map((view) => view.view);
    return this.entries.all().filter((entry) => entry.hash === undefined && unknown.includes(entry.view));
  }

  private reread(key: string, replyAt: number): boolean {
    const entry = this.entries.get(key);
    return !entry || entry.status === 'error' || entry.establishedSince >= replyAt;
  }

  private viewShows(hash: string, version: number, replyAt: number): boolean {
    const entry = this.entries.byParamsHash(hash);
    if (!entry) return !this.o.awaitsClaim(hash); // a view we no longer show
    return entry.status === 'error' || entry.version >= version || entry.establishedSince >= replyAt;
  }

  private rowShows(key: string, ver: number, replyAt: number): boolean {
    if (this.entries.referencing(key).length === 0) return true; // no view of ours shows it
    return this.applier.rowVersionAtLeast(key, ver) || this.applier.rowReadSince(key) >= replyAt;
  }
}
