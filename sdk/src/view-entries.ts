/**
 * The registry of the client's views: one entry per view and params (shared by its handles), found by
 * key or by the server's `params_hash`, plus the hashes whose unsubscribe is still in flight.
 */
import type { ViewEntry } from './view.js';

export function viewKey(view: string, params: Record<string, unknown>): string {
  const sorted = Object.keys(params).sort().map((key) => [key, params[key]]);
  return `${view}\u0000${JSON.stringify(sorted)}`;
}

export class ViewEntries {
  private readonly byKey = new Map<string, ViewEntry>();
  private readonly byHash = new Map<string, ViewEntry>();
  /** hashes with an unsubscribe in flight: their diffs belong to the ended subscription */
  private readonly retiring = new Map<string, number>();

  get(key: string): ViewEntry | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** True while `entry` is the registered entry of its key (not released, not replaced). */
  isCurrent(entry: ViewEntry): boolean {
    return this.byKey.get(entry.key) === entry;
  }

  add(entry: ViewEntry): void {
    this.byKey.set(entry.key, entry);
  }

  remove(entry: ViewEntry): void {
    this.byKey.delete(entry.key);
    if (entry.hash !== undefined) this.byHash.delete(entry.hash);
  }

  all(): ViewEntry[] {
    return [...this.byKey.values()];
  }

  byParamsHash(hash: string): ViewEntry | undefined {
    return this.byHash.get(hash);
  }

  setHash(entry: ViewEntry, hash: string | undefined): void {
    if (entry.hash !== undefined && this.byHash.get(entry.hash) === entry) this.byHash.delete(entry.hash);
    entry.hash = hash;
    if (hash !== undefined) this.byHash.set(hash, entry);
  }

  referencing(rowKey: string): ViewEntry[] {
    return this.all().filter((e) => e.rowKeys.has(rowKey));
  }

  /** Counts an unsubscribe in flight; the returned function ends it. */
  retire(hash: string): () => void {
    this.retiring.set(hash, (this.retiring.get(hash) ?? 0) + 1);
    return () => {
      const left = (this.retiring.get(hash) ?? 1) - 1;
      if (left > 0) this.retiring.set(hash, left);
      else this.retiring.delete(hash);
    };
  }

  isRetiring(hash: string): boolean {
    return this.retiring.has(hash);
  }
}
