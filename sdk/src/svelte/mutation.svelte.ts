/**
 * Svelte 5 binding for mutations, written with runes (compiled by the application's Svelte compiler).
 */
import type { ArcanaClient } from '../client.js';
import type { OptimisticTx } from '../mutations/overlay-ops.js';
import type { ArcanaError } from '../protocol.js';
import type { MutationKey, MutationParamsOf, MutationResultOf } from '../registry.js';

export interface MutationOptions<A> {
  /** The optimistic edits of one run, given its params (see `client.mutate`). */
  optimistic?: (tx: OptimisticTx, params: MutationParamsOf<A>) => void;
}

/** `run`'s params: left out when the action requires none. */
export type RunArgs<A> = Record<string, never> extends MutationParamsOf<A> ? [params?: MutationParamsOf<A>] : [params: MutationParamsOf<A>];

export interface ReactiveMutation<A> {
  /** True while a run has no answer yet (queued offline, in flight, or retried). */
  readonly pending: boolean;
  /** The error of the last run that failed, until the next run starts; `reason` set for `conflict`. */
  readonly error: ArcanaError | undefined;
  /** Runs the mutation; the promise settles as `client.mutate`'s does. */
  run(...args: RunArgs<A>): Promise<MutationResultOf<A>>;
}

/**
 * A mutation with reactive `pending` and `error`.
 *
 * ```svelte
 * <script lang="ts">
 *   const addTask = mutation(client, 'add_task', {
 *     optimistic: (tx, p) => { tx.put('tasks', p.id, { ...p, done: false }); tx.view('task_list').insert('tasks', p.id); },
 *   });
 * </script>
 * <button disabled={addTask.pending} onclick={() => addTask.run({ id: crypto.randomUUID(), title })}>Add</button>
 * {#if addTask.error}<p>{addTask.error.message}</p>{/if}
 * ```
 */
export function mutation<A extends MutationKey>(client: ArcanaClient, action: A, options: MutationOptions<A> = {}): ReactiveMutation<A> {
  let unanswered = $state(0);
  let error = $state.raw<ArcanaError | undefined>(undefined);

  function run(...[params]: RunArgs<A>): Promise<MutationResultOf<A>> {
    const given = (params ?? {}) as MutationParamsOf<A>;
    const optimistic = options.optimistic;
    error = undefined;
    unanswered++;
    const mutate = client.mutate as (action: A, params: MutationParamsOf<A>, options: object) => Promise<MutationResultOf<A>>;
    const result = mutate.call(client, action, given, { optimistic: optimistic && ((tx: OptimisticTx) => optimistic(tx, given)) });
    result.then(
      () => { unanswered--; },
      (failure: ArcanaError) => {
        unanswered--;
        error = failure;
      },
    );
    return result;
  }

  return {
    get pending() { return unanswered > 0; },
    get error() { return error; },
    run,
  };
}
