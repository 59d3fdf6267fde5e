/**
 * What views show while mutations are pending: the server's state (the row store and each view's
 * refs) with the ops of every pending mutation laid over it, in the order the mutations were made.
 * Nothing here changes the server's state: dropping a mutation's ops shows the server's state again.
 */
import type { Ref, Row } from '../protocol.js';
import { resolveRef, rowKey, type RowStore } from '../store.js';
import { viewKey } from '../view-entries.js';
import type { ViewEntry, ViewSource } from '../view.js';
import { isRowOp, type OverlayOp, type Position, type RefOp, type RowOp, type ViewTarget } from './overlay-ops.js';

export class Overlay implements ViewSource {
  private layers: ReadonlyArray<readonly OverlayOp[]> = [];
  /** row key → the row ops of every layer, in order */
  private rowOps = new Map<string, RowOp[]>();
  private refOps: RefOp[] = [];

  constructor(private readonly store: RowStore) {}

  /** Replaces the layers (one per pending mutation, oldest first). */
  setLayers(layers: ReadonlyArray<readonly OverlayOp[]>): void {
    this.layers = layers;
    this.rowOps = new Map();
    this.refOps = [];
    for (const op of layers.flat()) {
      if (isRowOp(op)) {
        const key = rowKey(op.table, op.id);
        const list = this.rowOps.get(key);
        if (list) list.push(op);
        else this.rowOps.set(key, [op]);
      } else {
        this.refOps.push(op);
      }
    }
  }

  get isEmpty(): boolean {
    return this.layers.length === 0;
  }

  /** The row as views show it; `extra` ops (a transaction being recorded) come last. */
  row(table: string, id: string, extra: readonly OverlayOp[] = []): Row | undefined {
    let row = this.store.get(table, id);
    const ops = [...(this.rowOps.get(rowKey(table, id)) ?? []), ...extra.filter((op) => isRowOp(op) && op.table === table && op.id === id)];
    for (const op of ops as RowOp[]) row = applyRowOp(row, op);
    return row;
  }

  /** The ids of `table` that pending mutations touch (a put may add a row the store does not hold). */
  idsIn(table: string): string[] {
    const ids: string[] = [];
    for (const ops of this.rowOps.values()) if (ops[0].table === table) ids.push(ops[0].id);
    return ids;
  }

  resolve(ref: Ref): Record<string, unknown> | undefined {
    if (this.rowOps.size === 0) return this.store.resolve(ref);
    return resolveRef(ref, (table, id) => this.row(table, id));
  }

  refsOf(entry: ViewEntry): readonly Ref[] {
    const ops = this.refOps.filter((op) => targets(op.target, entry));
    if (ops.length === 0) return entry.refs;
    const refs = [...entry.refs];
    for (const op of ops) applyRefOp(refs, op);
    return refs;
  }

  /** True when `ops` can change what `entry` shows. */
  static touches(ops: readonly OverlayOp[], entry: ViewEntry): boolean {
    return ops.some((op) => (isRowOp(op)
      ? entry.rowKeys.has(rowKey(op.table, op.id)) || entry.shownRefs.some((ref) => ref.table === op.table && String(ref.id) === op.id)
      : targets(op.target, entry)));
  }
}

function targets(target: ViewTarget, entry: ViewEntry): boolean {
  return target.view === entry.view && (target.params === undefined || viewKey(target.view, target.params) === entry.key);
}

function applyRowOp(row: Row | undefined, op: RowOp): Row | undefined {
  switch (op.op) {
    case 'put':
      return { ...op.row };
    case 'update':
      return row && { ...row, ...op.fields };
    case 'delete':
      return undefined;
  }
}

function indexOf(refs: Ref[], table: string, id: string): number {
  return refs.findIndex((ref) => ref.table === table && String(ref.id) === id);
}

function place(refs: Ref[], ref: Ref, at: Position): void {
  const index = at === 'start' ? 0 : at === 'end' ? refs.length : Math.max(0, Math.min(refs.length, Math.trunc(at)));
  refs.splice(index, 0, ref);
}

function applyRefOp(refs: Ref[], op: RefOp): void {
  switch (op.op) {
    case 'insert':
      // the server's state may already show the row (its effects arrived before the reply): never twice
      if (indexOf(refs, op.ref.table, String(op.ref.id)) < 0) place(refs, op.ref, op.at);
      return;
    case 'remove':
      for (let i = refs.length - 1; i >= 0; i--) if (refs[i].table === op.table && String(refs[i].id) === op.id) refs.splice(i, 1);
      return;
    case 'move': {
      const from = indexOf(refs, op.table, op.id);
      if (from < 0) return;
      const [moved] = refs.splice(from, 1);
      place(refs, moved, op.to);
    }
  }
}
