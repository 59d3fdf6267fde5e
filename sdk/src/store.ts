/** The client's normalised rows: one copy per (table, id), shared by every view that references it. */
import { applyPatch, type PatchOperation } from './patch.js';
import type { Ref, Row, Tables } from './protocol.js';

export function rowKey(table: string, id: string): string {
  return `${table}\u0000${id}`;
}

/** Every (table, id) a list of refs reaches, nested refs included. */
export function collectRowKeys(refs: readonly Ref[], into: Set<string> = new Set()): Set<string> {
  const visit = (ref: Ref): void => {
    into.add(rowKey(ref.table, String(ref.id)));
    if (ref.nested) for (const name of Object.keys(ref.nested)) visit(ref.nested[name]);
  };
  refs.forEach(visit);
  return into;
}

export class RowStore {
  private readonly tables = new Map<string, Map<string, Row>>();

  get(table: string, id: string): Row | undefined {
    return this.tables.get(table)?.get(id);
  }

  has(table: string, id: string): boolean {
    return this.tables.get(table)?.has(id) ?? false;
  }

  /**
   * Merges rows sent by the server. A row's fields are merged rather than replaced: different
   * views read different fields of one row, and each view's rows only carry its own.
   * @returns the keys of the rows written
   */
  merge(tables: Tables | undefined): string[] {
    const written: string[] = [];
    if (!tables) return written;
    for (const table of Object.keys(tables)) {
      let rows = this.tables.get(table);
      if (!rows) this.tables.set(table, (rows = new Map()));
      for (const id of Object.keys(tables[table])) {
        const incoming = tables[table][id];
        const existing = rows.get(id);
        rows.set(id, existing ? { ...existing, ...incoming } : { ...incoming });
        written.push(rowKey(table, id));
      }
    }
    return written;
  }

  /** Applies a row patch; false when the row is not held (nothing to do). Throws PatchError. */
  patch(table: string, id: string, patch: readonly PatchOperation[]): boolean {
    const rows = this.tables.get(table);
    const row = rows?.get(id);
    if (!rows || !row) return false;
    rows.set(id, applyPatch(row, patch, { lenient: true }));
    return true;
  }

  delete(table: string, id: string): boolean {
    const rows = this.tables.get(table);
    const deleted = rows?.delete(id) ?? false;
    if (rows && rows.size === 0) this.tables.delete(table);
    return deleted;
  }

  /** Drops every row whose key is not in `keep`; returns how many were dropped. */
  retainOnly(keep: ReadonlySet<string>): number {
    let dropped = 0;
    for (const [table, rows] of this.tables) {
      for (const id of [...rows.keys()]) {
        if (!keep.has(rowKey(table, id))) {
          rows.delete(id);
          dropped++;
        }
      }
      if (rows.size === 0) this.tables.delete(table);
    }
    return dropped;
  }

  /** The rows with the given keys, as a `tables` object (for persistence). */
  export(keys: ReadonlySet<string>): Tables {
    const out: Tables = {};
    for (const [table, rows] of this.tables) {
      for (const [id, row] of rows) {
        if (keys.has(rowKey(table, id))) (out[table] ??= {})[id] = row;
      }
    }
    return out;
  }

  /** The ids of the rows held for `table`. */
  ids(table: string): Iterable<string> {
    return this.tables.get(table)?.keys() ?? [];
  }

  size(): number {
    let size = 0;
    for (const rows of this.tables.values()) size += rows.size;
    return size;
  }

  /**
   * A ref resolved to its row: the ref's fields (all the row's when the ref names none), with each
   * nested ref resolved in place (null when its row is missing). Undefined when the row is missing.
   */
  resolve(ref: Ref): Record<string, unknown> | undefined {
    return resolveRef(ref, (table, id) => this.get(table, id));
  }
}

/** A ref resolved against the rows `get` finds (see RowStore.resolve). */
export function resolveRef(ref: Ref, get: (table: string, id: string) => Row | undefined): Record<string, unknown> | undefined {
  const row = get(ref.table, String(ref.id));
  if (!row) return undefined;
  let out: Record<string, unknown>;
  if (ref.fields && ref.fields.length > 0) {
    out = {};
    for (const field of ref.fields) if (field in row) out[field] = row[field];
  } else {
    out = { ...row };
  }
  if (ref.nested) {
    for (const name of Object.keys(ref.nested)) out[name] = resolveRef(ref.nested[name], get) ?? null;
  }
  return out;
}
