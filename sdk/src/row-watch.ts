/**
 * Listeners of single rows (`client.watchRow`, the React and Vue `useRow`): after each step that may
 * have changed rows, every watched row is read again as views show it and its listener is called
 * when it differs (shallow) from what it last got. The cost is one read per watched row per step.
 */
import type { Row } from './protocol.js';

interface Watcher {
  readonly table: string;
  readonly id: string;
  last: Row | undefined;
  readonly listener: (row: Row | undefined) => void;
}

export class RowWatch {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly read: (table: string, id: string) => Row | undefined) {}

  /** Calls `listener` with the row each time it changes; returns the function that stops it. */
  watch(table: string, id: string, listener: (row: Row | undefined) => void): () => void {
    const watcher: Watcher = { table, id, last: this.read(table, id), listener };
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  /** After a step: tells the watchers whose row changed. */
  check(): void {
    for (const watcher of [...this.watchers]) {
      if (!this.watchers.has(watcher)) continue; // stopped by an earlier listener of this check
      const row = this.read(watcher.table, watcher.id);
      if (!shallowEqual(row, watcher.last)) {
        watcher.last = row;
        watcher.listener(row);
      }
    }
  }
}

/** Same fields with identical values (rows hold JSON: nested values compare by reference). */
export function shallowEqual(a: Row | undefined, b: Row | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && Object.is(a[key], b[key]));
}
