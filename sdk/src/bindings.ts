/**
 * What the React and Vue bindings share: a by-value key for params, a view's state as one immutable
 * snapshot, and a mutation run with its optimistic edits bound to its params.
 */
import type { ArcanaClient } from './client.js';
import type { OptimisticTx } from './mutations/overlay-ops.js';
import type { ArcanaError } from './protocol.js';
import type { MutationParamsOf, MutationResultOf } from './registry.js';
import type { ViewHandle, ViewStatus } from './view.js';

/** A view's state at one moment; a new object after every change, the same one in between. */
export interface ViewSnapshot<T> {
  readonly data: T[];
  readonly total: number | undefined;
  readonly version: number;
  readonly status: ViewStatus;
  readonly error: ArcanaError | undefined;
}

export const LOADING: ViewSnapshot<never> = Object.freeze({ data: [], total: undefined, version: 0, status: 'loading', error: undefined });

export function snapshotOf<T>(handle: ViewHandle<T>): ViewSnapshot<T> {
  return { data: handle.data, total: handle.total, version: handle.version, status: handle.status, error: handle.error };
}

/** JSON of `value` with object keys sorted at every depth: equal for params equal by value. */
export function paramsKey(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}

export interface MutationOptions<A> {
  /** The optimistic edits of one run, given its params (see `client.mutate`). */
  optimistic?: (tx: OptimisticTx, params: MutationParamsOf<A>) => void;
}

/** A run's params: left out when the action requires none. */
export type RunArgs<A> = Record<string, never> extends MutationParamsOf<A> ? [params?: MutationParamsOf<A>] : [params: MutationParamsOf<A>];

/** Runs `action` on `client` with `options.optimistic` bound to the run's params. */
export function runMutation<A>(client: ArcanaClient, action: A, params: MutationParamsOf<A> | undefined, options: MutationOptions<A>): Promise<MutationResultOf<A>> {
  const given = (params ?? {}) as MutationParamsOf<A>;
  const optimistic = options.optimistic;
  const mutate = client.mutate as (action: A, params: MutationParamsOf<A>, options: object) => Promise<MutationResultOf<A>>;
  return mutate.call(client, action, given, { optimistic: optimistic && ((tx: OptimisticTx) => optimistic(tx, given)) });
}
