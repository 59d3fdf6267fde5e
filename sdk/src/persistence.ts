/**
 * Optional persistence of views and their rows, so that a reload shows the last data at once (marked
 * stale until synced), and of the mutations not yet done (re-sent with their ids, overlays shown again).
 */
import type { PersistedMutation } from './mutations/mutation-queue.js';
import type { Ref, Tables } from './protocol.js';

export type { PersistedMutation } from './mutations/mutation-queue.js';

export interface PersistedView {
  view: string;
  params: Record<string, unknown>;
  paramsHash: string;
  version: number;
  refs: Ref[];
  total?: number;
}

export interface PersistedState {
  views: PersistedView[];
  tables: Tables;
  /** Mutations not yet done, oldest first (absent in states saved by older versions). */
  mutations?: PersistedMutation[];
}

export interface Persistence {
  load(): Promise<PersistedState | undefined>;
  save(state: PersistedState): Promise<void>;
}

/** Keeps the state in memory (tests, or sharing one state between clients of a page). */
export class MemoryPersistence implements Persistence {
  private state: PersistedState | undefined;

  async load(): Promise<PersistedState | undefined> {
    return this.state && structuredClone(this.state);
  }

  async save(state: PersistedState): Promise<void> {
    this.state = structuredClone(state);
  }
}

/**
 * Keeps the state in IndexedDB under `key` (use one key per user and workspace: the rows are theirs).
 * `indexedDB` defaults to the browser's.
 */
export class IndexedDbPersistence implements Persistence {
  private db: Promise<IDBDatabase> | undefined;

  constructor(
    private readonly key: string,
    private readonly options: { databaseName?: string; indexedDB?: IDBFactory } = {},
  ) {}

  async load(): Promise<PersistedState | undefined> {
    const db = await this.open();
    return request<PersistedState | undefined>(db.transaction('state', 'readonly').objectStore('state').get(this.key));
  }

  async save(state: PersistedState): Promise<void> {
    const db = await this.open();
    const tx = db.transaction('state', 'readwrite');
    tx.objectStore('state').put(state, this.key);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const factory = this.options.indexedDB ?? globalThis.indexedDB;
      if (!factory) throw new Error('IndexedDB is not available here');
      const open = factory.open(this.options.databaseName ?? 'arcana', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('state');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return this.db;
  }
}

function request<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error);
  });
}
