/**
 * React 18+ bindings: hooks over `useSyncExternalStore`. The view's subscription is taken in the
 * store's subscribe callback and released a microtask after its cleanup unless subscribed again
 * meanwhile, so StrictMode's mount–unmount–mount keeps one handle and sends one subscribe.
 */
'use client'; // hooks: client components only (React Server Components frameworks read this)

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { LOADING, paramsKey, runMutation, snapshotOf, type MutationOptions, type RunArgs, type ViewSnapshot } from '../bindings.js';
import type { ArcanaClient, ConnectionStatus } from '../client.js';
import type { ArcanaError, Row } from '../protocol.js';
import { shallowEqual } from '../row-watch.js';
import type { MutationKey, MutationResultOf, ParamsOf, RowOf, ViewKey } from '../registry.js';
import type { ViewHandle } from '../view.js';

export type { MutationOptions, RunArgs, ViewSnapshot } from '../bindings.js';

/** One view and params as an external store: holds the handle while React subscribes. */
class ViewStore<T> {
  private handle: ViewHandle<T> | undefined;
  private stopListening: (() => void) | undefined;
  private snapshot: ViewSnapshot<T> = LOADING;
  private releaseScheduled = false;

  constructor(
    private readonly open: () => ViewHandle<T>,
  ) {}

  readonly subscribe = (onStoreChange: () => void): (() => void) => {
    this.releaseScheduled = false;
    this.stopListening?.();
    if (!this.handle) {
      this.handle = this.open();
      this.snapshot = snapshotOf(this.handle);
    }
    const handle = this.handle;
    this.stopListening = handle.onChange(() => {
      this.snapshot = snapshotOf(handle);
      onStoreChange();
    });
    return () => {
      this.stopListening?.();
      this.stopListening = undefined;
      this.releaseScheduled = true;
      queueMicrotask(() => {
        if (!this.releaseScheduled) return; // subscribed again (StrictMode's second mount)
        this.releaseScheduled = false;
        this.handle?.unsubscribe();
        this.handle = undefined;
      });
    };
  };

  readonly getSnapshot = (): ViewSnapshot<T> => this.snapshot;
}

const getLoading = (): ViewSnapshot<never> => LOADING;

/**
 * A live view. `params` are compared by value: a new object with equal values keeps the
 * subscription; other values re-subscribe. The returned snapshot is the same object until the view
 * changes. The subscription ends (a microtask) after the component unmounts.
 *
 * ```tsx
 * const tasks = useView(client, 'task_list', { done: showDone });
 * return <ul>{tasks.data.map((task) => <li key={task.id}>{task.title}</li>)}</ul>;
 * ```
 */
export function useView<K extends ViewKey>(client: ArcanaClient, key: K, params?: ParamsOf<K>): ViewSnapshot<RowOf<K>> {
  const byValue = paramsKey(params);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- params are compared by value (byValue)
  const store = useMemo(() => new ViewStore<RowOf<K>>(() => client.subscribe(key, params)), [client, key, byValue]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, getLoading);
}

/**
 * One row as views show it (pending mutations included), re-rendering only when that row changes;
 * undefined while no live view holds it (`useRow` reads, it does not subscribe).
 *
 * ```tsx
 * const task = useRow(client, 'tasks', taskId);
 * ```
 */
export function useRow<T extends Row = Row>(client: ArcanaClient, table: string, id: string | number): T | undefined {
  const key = String(id);
  const latest = useRef<T | undefined>(undefined);
  const subscribe = useCallback((onChange: () => void) => client.watchRow<T>(table, key, (row) => {
    latest.current = row;
    onChange();
  }), [client, table, key]);
  // the same object until the row changes (watchRow calls back only then): no render loop
  const current = useCallback(() => {
    const row = client.getRow<T>(table, key);
    if (!shallowEqual(row, latest.current)) latest.current = row;
    return latest.current;
  }, [client, table, key]);
  return useSyncExternalStore(subscribe, current, current);
}

/** The client's connection status. */
export function useStatus(client: ArcanaClient): ConnectionStatus {
  const subscribe = useCallback((onChange: () => void) => client.onStatus(onChange), [client]);
  const current = useCallback(() => client.status, [client]);
  return useSyncExternalStore(subscribe, current, current);
}

export interface MutationHook<A> {
  /** True while a run has no answer yet (queued offline, in flight, or retried). */
  readonly pending: boolean;
  /** The error of the last run that failed, until the next run starts; `reason` set for `conflict`. */
  readonly error: ArcanaError | undefined;
  /** Runs the mutation (the same function across renders); the promise settles as `client.mutate`'s does. */
  mutate(...args: RunArgs<A>): Promise<MutationResultOf<A>>;
}

/**
 * A mutation with `pending` and `error` as state, like the Svelte adapter's `mutation()`.
 *
 * ```tsx
 * const addTask = useMutation(client, 'add_task', {
 *   optimistic: (tx, p) => { tx.put('tasks', p.id, { ...p, done: false }); tx.view('task_list').insert('tasks', p.id); },
 * });
 * <button disabled={addTask.pending} onClick={() => addTask.mutate({ id: crypto.randomUUID(), title })}>Add</button>
 * ```
 */
export function useMutation<A extends MutationKey>(client: ArcanaClient, action: A, options: MutationOptions<A> = {}): MutationHook<A> {
  const [unanswered, setUnanswered] = useState(0);
  const [error, setError] = useState<ArcanaError | undefined>(undefined);
  const latestOptions = useRef(options);
  useEffect(() => {
    latestOptions.current = options;
  });
  const mutate = useCallback((...[params]: RunArgs<A>): Promise<MutationResultOf<A>> => {
    setError(undefined);
    setUnanswered((n) => n + 1);
    const result = runMutation(client, action, params, latestOptions.current);
    result.then(
      () => setUnanswered((n) => n - 1),
      (failure: ArcanaError) => {
        setUnanswered((n) => n - 1);
        setError(failure);
      },
    );
    return result;
  }, [client, action]);
  return { pending: unanswered > 0, error, mutate };
}
