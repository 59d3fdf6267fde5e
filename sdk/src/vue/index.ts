/**
 * Vue 3 bindings: composables to call in `setup` (or inside any effect scope); what they subscribe
 * to ends with the scope (`onScopeDispose`).
 */
import { computed, getCurrentScope, onScopeDispose, readonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { LOADING, paramsKey, runMutation, snapshotOf, type MutationOptions, type RunArgs, type ViewSnapshot } from '../bindings.js';
import type { ArcanaClient, ConnectionStatus } from '../client.js';
import type { ArcanaError, Row } from '../protocol.js';
import type { MutationKey, MutationResultOf, ParamsOf, RowOf, ViewKey } from '../registry.js';
import type { ViewStatus } from '../view.js';

export type { MutationOptions, RunArgs, ViewSnapshot } from '../bindings.js';

export interface ReactiveView<T> {
  readonly data: Readonly<Ref<T[]>>;
  readonly total: Readonly<Ref<number | undefined>>;
  readonly version: Readonly<Ref<number>>;
  readonly status: Readonly<Ref<ViewStatus>>;
  readonly error: Readonly<Ref<ArcanaError | undefined>>;
  /** All of the above as one object, replaced on every change. */
  readonly snapshot: Readonly<Ref<ViewSnapshot<T>>>;
}

function onDispose(cleanup: () => void): void {
  if (getCurrentScope()) onScopeDispose(cleanup);
}

/**
 * A live view as refs. `params` may be a value, a ref or a getter; it is watched by value (deeply):
 * equal values keep the subscription, other values re-subscribe.
 *
 * ```ts
 * const { data: tasks, status } = useView(client, 'task_list', () => ({ done: showDone.value }));
 * ```
 */
export function useView<K extends ViewKey>(
  client: ArcanaClient,
  key: K,
  params: MaybeRefOrGetter<ParamsOf<K>> = {} as ParamsOf<K>,
): ReactiveView<RowOf<K>> {
  const snapshot = shallowRef<ViewSnapshot<RowOf<K>>>(LOADING);
  let release: (() => void) | undefined;
  const byValue = computed(() => paramsKey(toValue(params)));
  const stopWatching = watch(byValue, () => {
    release?.();
    const handle = client.subscribe(key, toValue(params));
    snapshot.value = snapshotOf(handle);
    const stopListening = handle.onChange(() => {
      snapshot.value = snapshotOf(handle);
    });
    release = () => {
      stopListening();
      handle.unsubscribe();
    };
  }, { immediate: true });
  onDispose(() => {
    stopWatching();
    release?.();
    release = undefined;
  });
  return {
    data: computed(() => snapshot.value.data),
    total: computed(() => snapshot.value.total),
    version: computed(() => snapshot.value.version),
    status: computed(() => snapshot.value.status),
    error: computed(() => snapshot.value.error),
    snapshot: readonly(snapshot) as Readonly<Ref<ViewSnapshot<RowOf<K>>>>,
  };
}

/**
 * One row as views show it (pending mutations included) as a ref, updated when that row changes;
 * undefined while no live view holds it. `id` may be a value, a ref or a getter.
 */
export function useRow<T extends Row = Row>(client: ArcanaClient, table: string, id: MaybeRefOrGetter<string | number>): Readonly<Ref<T | undefined>> {
  const row = shallowRef<T | undefined>(undefined);
  let stop: (() => void) | undefined;
  const stopWatching = watch(() => String(toValue(id)), (key) => {
    stop?.();
    row.value = client.getRow<T>(table, key);
    stop = client.watchRow<T>(table, key, (next) => {
      row.value = next;
    });
  }, { immediate: true });
  onDispose(() => {
    stopWatching();
    stop?.();
    stop = undefined;
  });
  return readonly(row) as Readonly<Ref<T | undefined>>;
}

/** The client's connection status as a ref. */
export function useStatus(client: ArcanaClient): Readonly<Ref<ConnectionStatus>> {
  const status = shallowRef<ConnectionStatus>(client.status);
  onDispose(client.onStatus((next) => {
    status.value = next;
  }));
  return readonly(status) as Readonly<Ref<ConnectionStatus>>;
}

export interface ReactiveMutation<A> {
  /** True while a run has no answer yet (queued offline, in flight, or retried). */
  readonly pending: Readonly<Ref<boolean>>;
  /** The error of the last run that failed, until the next run starts; `reason` set for `conflict`. */
  readonly error: Readonly<Ref<ArcanaError | undefined>>;
  /** Runs the mutation; the promise settles as `client.mutate`'s does. */
  mutate(...args: RunArgs<A>): Promise<MutationResultOf<A>>;
}

/** A mutation with `pending` and `error` as refs, like the Svelte adapter's `mutation()`. */
export function useMutation<A extends MutationKey>(client: ArcanaClient, action: A, options: MutationOptions<A> = {}): ReactiveMutation<A> {
  const unanswered = shallowRef(0);
  const error = shallowRef<ArcanaError | undefined>(undefined);
  function mutate(...[params]: RunArgs<A>): Promise<MutationResultOf<A>> {
    error.value = undefined;
    unanswered.value++;
    const result = runMutation(client, action, params, options);
    result.then(
      () => { unanswered.value--; },
      (failure: ArcanaError) => {
        unanswered.value--;
        error.value = failure;
      },
    );
    return result;
  }
  return {
    pending: computed(() => unanswered.value > 0),
    error: readonly(error) as Readonly<Ref<ArcanaError | undefined>>,
    mutate,
  };
}
