/**
 * Svelte 5 bindings, written with runes: this file is compiled by the application's Svelte compiler
 * (vite-plugin-svelte compiles `.svelte.js` modules), so call these during component initialisation.
 */
import type { ArcanaClient, ConnectionStatus } from '../client.js';
import type { ArcanaError } from '../protocol.js';
import type { ParamsOf, RowOf, ViewKey } from '../registry.js';
import type { ViewHandle, ViewStatus } from '../view.js';

export interface ReactiveView<T> {
  readonly data: T[];
  readonly total: number | undefined;
  readonly version: number;
  readonly status: ViewStatus;
  readonly error: ArcanaError | undefined;
}

interface ViewState<T> {
  data: T[];
  total: number | undefined;
  version: number;
  status: ViewStatus;
  error: ArcanaError | undefined;
}

function snapshotOf<T>(handle: ViewHandle<T>): ViewState<T> {
  return { data: handle.data, total: handle.total, version: handle.version, status: handle.status, error: handle.error };
}

/**
 * A live view as reactive state. `params` is a function so that the view re-subscribes whenever the
 * reactive values it reads change; the subscription ends with the component.
 *
 * ```svelte
 * <script lang="ts">
 *   const tasks = view(client, 'task_list', () => ({ done: showDone }));
 * </script>
 * {#each tasks.data as task (task.id)} <li>{task.title}</li> {/each}
 * ```
 */
export function view<K extends ViewKey>(
  client: ArcanaClient,
  key: K,
  params: () => ParamsOf<K> = () => ({}) as ParamsOf<K>,
): ReactiveView<RowOf<K>> {
  let state = $state.raw<ViewState<RowOf<K>>>({ data: [], total: undefined, version: 0, status: 'loading', error: undefined });

  $effect(() => {
    const handle = client.subscribe(key, params());
    state = snapshotOf(handle);
    const stop = handle.onChange(() => {
      state = snapshotOf(handle);
    });
    return () => {
      stop();
      handle.unsubscribe();
    };
  });

  return {
    get data() { return state.data; },
    get total() { return state.total; },
    get version() { return state.version; },
    get status() { return state.status; },
    get error() { return state.error; },
  };
}

/** The client's connection status as reactive state. */
export function connectionStatus(client: ArcanaClient): { readonly current: ConnectionStatus } {
  let status = $state<ConnectionStatus>(client.status);
  $effect(() => {
    status = client.status;
    return client.onStatus((next) => {
      status = next;
    });
  });
  return {
    get current() { return status; },
  };
}
