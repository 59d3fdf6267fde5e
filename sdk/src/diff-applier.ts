/**
 * Applies the server's data to the client's state: row diffs to the store, view diffs, snapshots and
 * catch-ups to view entries. A diff it cannot apply (a version gap, a patch that does not apply, a
 * skipped row `ver`) is handed to `repair`, which syncs the views concerned. Each call is one step of
 * the change batch: views notify once, after it.
 */
import { PatchError } from './patch.js';
import type { SnapshotData, SyncEntry, TableDiff, Tables, ViewDiff } from './protocol.js';
import type { ChangeBatch } from './change-batch.js';
import type { ReplyOrdering } from './reply-ordering.js';
import { rowKey, type RowStore } from './store.js';
import type { ViewEntries } from './view-entries.js';
import type { ViewEntry } from './view.js';

export interface DiffApplierHooks {
  /** Sync these views: what they hold cannot be patched any further. */
  repair(entries: ViewEntry[]): void;
  /** A view's refs changed (rows may have become unreferenced; the state is worth saving). */
  viewChanged(): void;
  reportError(error: unknown): void;
}

export type CatchUp = Extract<SyncEntry, { mode: 'catch_up' }>;
export type Snapshot = Pick<SnapshotData, 'params_hash' | 'version' | 'refs' | 'tables' | 'total'>;

const MAX_UNHELD_VERSIONS = 1024;

export class DiffApplier {
  /** row key → last seen table_diff `ver`; unknown after the row arrived in a reply */
  private readonly rowVersions = new Map<string, number>();
  /** row key → highest table_diff `ver` applied; kept when a reply's rows are merged (they are not older) */
  private readonly rowVersionFloor = new Map<string, number>();
  /** row key → diff number before the request whose reply last brought the row (see ReplyOrdering) */
  private readonly rowReadAt = new Map<string, number>();
  /**
   * Recent table_diffs of rows not held when they arrived (a reply may bring the row later): a reply
   * to a request sent after such a diff holds its `ver`. Bounded: the oldest are forgotten first.
   */
  private readonly unheldVersions = new Map<string, { ver: number; seq: number }>();

  constructor(
    private readonly store: RowStore,
    private readonly entries: ViewEntries,
    private readonly ordering: ReplyOrdering,
    private readonly batch: ChangeBatch,
    private readonly hooks: DiffApplierHooks,
  ) {}

  tableDiff(diff: TableDiff): void {
    this.batch.run(() => {
      const seq = this.ordering.receivedTableDiff(diff);
      const key = rowKey(diff.table, String(diff.id));
      if (!diff.deleted && !this.store.has(diff.table, String(diff.id))) this.rememberUnheld(key, diff.ver, seq);
      this.applyTableDiff(diff);
    });
  }

  /** True when the row's data includes its table_diff `ver`. */
  rowVersionAtLeast(key: string, ver: number): boolean {
    return (this.rowVersionFloor.get(key) ?? 0) >= ver;
  }

  /** Diff number before the request whose reply last brought the row; -1 when none did. */
  rowReadSince(key: string): number {
    return this.rowReadAt.get(key) ?? -1;
  }

  private applyTableDiff(diff: TableDiff): void {
    const id = String(diff.id);
    const key = rowKey(diff.table, id);
    if (!this.store.has(diff.table, id)) return; // no view of ours references it (yet)
    const known = this.rowVersions.get(key);
    if (diff.deleted) {
      this.store.delete(diff.table, id);
      this.forgetRow(key);
    } else {
      try {
        this.store.patch(diff.table, id, diff.patch ?? []);
        this.rowVersions.set(key, diff.ver);
        this.rowVersionFloor.set(key, Math.max(diff.ver, this.rowVersionFloor.get(key) ?? 0));
      } catch (error) {
        this.hooks.reportError(error);
        this.rowVersions.delete(key);
        this.hooks.repair(this.syncableReferencing(key));
        return;
      }
      if (known !== undefined && diff.ver > known + 1) {
        // a row diff was missed: the catch-up carries the current data of every referenced row
        this.hooks.repair(this.syncableReferencing(key));
      }
    }
    for (const entry of this.entries.referencing(key)) entry.rowsChanged();
  }

  private syncableReferencing(key: string): ViewEntry[] {
    return this.entries.referencing(key).filter((e) => e.request !== 'syncing' && e.hash !== undefined);
  }

  /** @param arrival the diff's place among received diffs (given when a held-back diff is replayed) */
  viewDiff(diff: ViewDiff, arrival?: number): void {
    this.batch.run(() => this.applyViewDiff(diff, arrival));
  }

  private applyViewDiff(diff: ViewDiff, arrival?: number): void {
    const seq = arrival ?? this.ordering.receivedViewDiff();
    const entry = this.entries.byParamsHash(diff.params_hash);
    if (!entry) {
      if (!this.entries.isRetiring(diff.params_hash)) this.ordering.holdEarly({ seq, diff });
      return;
    }
    if (entry.request !== 'idle') {
      entry.buffered.push({ seq, diff });
      return;
    }
    if (diff.version <= entry.version) return; // stale: raced a subscribe or sync reply
    if (diff.version !== entry.version + 1) {
      this.hooks.repair([entry]);
      return;
    }
    let refs;
    try {
      refs = entry.patched(entry.refs, diff.refs_patch);
    } catch (error) {
      this.hooks.reportError(error);
      this.hooks.repair([entry]);
      return;
    }
    // a replayed diff's rows may be older than row diffs that arrived after it
    this.mergeReplyRows(diff.tables, seq, false);
    entry.replace(refs, diff.version, diff.total);
    this.hooks.viewChanged();
  }

  /** Replays the view_diffs held back while a request of the entry was in flight. */
  replayBuffered(entry: ViewEntry): void {
    this.batch.run(() => {
      const buffered = entry.buffered.splice(0);
      for (const { seq, diff } of buffered) this.applyViewDiff(diff, seq);
    });
  }

  snapshot(entry: ViewEntry, snapshot: Snapshot, since: number): void {
    this.batch.run(() => this.applySnapshot(entry, snapshot, since));
  }

  private applySnapshot(entry: ViewEntry, snapshot: Snapshot, since: number): void {
    this.mergeReplyRows(snapshot.tables, since, true);
    this.entries.setHash(entry, snapshot.params_hash);
    entry.uncertain = false;
    entry.establishedSince = since;
    entry.replace(snapshot.refs, snapshot.version, snapshot.total);
    this.hooks.viewChanged();
    const early = this.ordering.takeEarly(snapshot.params_hash);
    if (early.length > 0) {
      // only diffs received after the request was sent can be newer than its reply; replayed (stale ones
      // ignored) once the entry is idle
      for (const item of early) if (item.seq > since) entry.buffered.push(item);
      if (entry.request === 'idle') this.replayBuffered(entry);
    }
  }

  /** Applies a catch-up; false (reported) when it cannot be trusted and the view must be subscribed afresh. */
  catchUp(entry: ViewEntry, result: CatchUp, since: number): boolean {
    return this.batch.run(() => this.applyCatchUp(entry, result, since));
  }

  private applyCatchUp(entry: ViewEntry, result: CatchUp, since: number): boolean {
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
        this.mergeReplyRows(patch.tables, since, true);
      }
      if (version !== result.version) throw new PatchError(`catch-up ends at version ${version}, the server is at ${result.version}`);
      if ('total' in result) total = result.total;
      this.mergeReplyRows(result.tables, since, true);
      this.entries.setHash(entry, result.params_hash);
      entry.uncertain = false;
      entry.establishedSince = since;
      entry.replace(refs, version, total);
      this.hooks.viewChanged();
      return true;
    } catch (error) {
      this.hooks.reportError(error);
      return false;
    }
  }

  /**
   * Merges rows of a reply, then re-applies the row diffs received since its request was sent.
   * @param read true for the rows of a subscribe or sync reply (current when the request arrived)
   */
  private mergeReplyRows(tables: Tables | undefined, since: number, read: boolean): void {
    const written = this.store.merge(tables);
    for (const key of written) {
      this.rowVersions.delete(key);
      if (!read) continue;
      this.rowReadAt.set(key, since);
      const unheld = this.unheldVersions.get(key);
      if (unheld && unheld.seq <= this.ordering.includedBy(since)) {
        this.rowVersionFloor.set(key, Math.max(unheld.ver, this.rowVersionFloor.get(key) ?? 0));
        this.unheldVersions.delete(key);
      }
    }
    if (written.length === 0) return;
    for (const diff of this.ordering.rowDiffsSince(since, new Set(written))) this.applyTableDiff(diff);
  }

  /** Forgets the versions of rows that are no longer held. */
  retainVersions(keep: ReadonlySet<string>): void {
    for (const key of this.rowVersions.keys()) if (!keep.has(key)) this.rowVersions.delete(key);
    for (const key of this.rowVersionFloor.keys()) if (!keep.has(key)) this.rowVersionFloor.delete(key);
    for (const key of this.rowReadAt.keys()) if (!keep.has(key)) this.rowReadAt.delete(key);
  }

  private rememberUnheld(key: string, ver: number, seq: number): void {
    this.unheldVersions.delete(key); // re-inserted last: the map's order is the arrival order
    this.unheldVersions.set(key, { ver: Math.max(ver, this.unheldVersions.get(key)?.ver ?? 0), seq });
    if (this.unheldVersions.size > MAX_UNHELD_VERSIONS) this.unheldVersions.delete(this.unheldVersions.keys().next().value!);
  }

  private forgetRow(key: string): void {
    this.rowVersions.delete(key);
    this.rowVersionFloor.delete(key);
    this.rowReadAt.delete(key);
  }
}
