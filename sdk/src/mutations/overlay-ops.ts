/**
 * The optimistic edits of a mutation, recorded as plain data (so that they can be persisted with the
 * queue and replayed after a reload), and the `OptimisticTx` an app's `optimistic(tx)` records them with.
 */
import type { Ref, Row } from '../protocol.js';

/** Identifies views by name: every subscription of `view`, or only the one with exactly these `params`. */
export interface ViewTarget {
  view: string;
  params?: Record<string, unknown>;
}

/** Where a ref goes in a view: an index (clamped), or the start or end. */
export type Position = number | 'start' | 'end';

export type RowOp =
  /** the row becomes `row` (created when missing; fields not given are gone) */
  | { op: 'put'; table: string; id: string; row: Row }
  /** the given fields of the row change (nothing when the row is not there) */
  | { op: 'update'; table: string; id: string; fields: Row }
  /** the row is gone: no view shows it */
  | { op: 'delete'; table: string; id: string };

export type RefOp =
  /** the ref enters the targeted views at `at` (not when they already show that row) */
  | { op: 'insert'; target: ViewTarget; ref: Ref; at: Position }
  /** the row's refs leave the targeted views */
  | { op: 'remove'; target: ViewTarget; table: string; id: string }
  /** the row's ref moves to `to` in the targeted views */
  | { op: 'move'; target: ViewTarget; table: string; id: string; to: Position };

export type OverlayOp = RowOp | RefOp;

export function isRowOp(op: OverlayOp): op is RowOp {
  return op.op === 'put' || op.op === 'update' || op.op === 'delete';
}

/** Edits of views named in an optimistic transaction. */
export interface OptimisticViewTx {
  /** Shows the row in the view at `at` (default `'end'`); `fields` and `nested` as in the server's refs. */
  insert(table: string, id: string | number, options?: { at?: Position; fields?: string[]; nested?: Record<string, Ref> }): OptimisticViewTx;
  remove(table: string, id: string | number): OptimisticViewTx;
  move(table: string, id: string | number, to: Position): OptimisticViewTx;
}

/**
 * What `optimistic(tx)` is given: edits shown at once in every affected view, over the server's state,
 * until the server's own effects of the mutation are in (or it fails: then they vanish).
 */
export interface OptimisticTx {
  /** The row as views show it now (server state, earlier pending mutations, and this transaction so far). */
  get(table: string, id: string | number): Row | undefined;
  /** Creates or replaces a row. */
  put(table: string, id: string | number, row: Row): void;
  /** Changes some fields of a row (nothing when no view has it). */
  update(table: string, id: string | number, fields: Row): void;
  /** Removes a row from every view. */
  delete(table: string, id: string | number): void;
  /** Edits the refs of the views named `view` (all of their subscriptions, or only the one with `params`). */
  view(view: string, params?: Record<string, unknown>): OptimisticViewTx;
}

/** Records the ops of one `optimistic(tx)` call. */
export function recordOps(optimistic: (tx: OptimisticTx) => void, read: (table: string, id: string, ops: readonly OverlayOp[]) => Row | undefined): OverlayOp[] {
  const ops: OverlayOp[] = [];
  const copy = <T>(value: T): T => structuredClone(value);
  const viewTx = (target: ViewTarget): OptimisticViewTx => {
    const tx: OptimisticViewTx = {
      insert(table, id, options = {}) {
        const ref: Ref = { table, id: String(id) };
        if (options.fields) ref.fields = [...options.fields];
        if (options.nested) ref.nested = copy(options.nested);
        ops.push({ op: 'insert', target, ref, at: options.at ?? 'end' });
        return tx;
      },
      remove(table, id) {
        ops.push({ op: 'remove', target, table, id: String(id) });
        return tx;
      },
      move(table, id, to) {
        ops.push({ op: 'move', target, table, id: String(id), to });
        return tx;
      },
    };
    return tx;
  };
  optimistic({
    get: (table, id) => read(table, String(id), ops),
    put: (table, id, row) => void ops.push({ op: 'put', table, id: String(id), row: copy(row) }),
    update: (table, id, fields) => void ops.push({ op: 'update', table, id: String(id), fields: copy(fields) }),
    delete: (table, id) => void ops.push({ op: 'delete', table, id: String(id) }),
    view: (view, params) => viewTx(params === undefined ? { view } : { view, params: copy(params) }),
  });
  return ops;
}
