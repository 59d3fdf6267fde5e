/**
 * Typing of views by key. The type generator (`arcana-typegen`) writes a `views.d.ts` that augments
 * `ViewRegistry`; without it every view key is a string with untyped params and rows.
 *
 * ```ts
 * declare module '@arcana/sdk' {
 *   interface ViewRegistry { task_list: { params: { done?: boolean }; row: TasksRow } }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ViewRegistry {}

type Registered = keyof ViewRegistry extends never ? false : true;

export type ViewKey = Registered extends true ? Extract<keyof ViewRegistry, string> : string;

export type ParamsOf<K> = K extends keyof ViewRegistry
  ? ViewRegistry[K] extends { params: infer P } ? P : Record<string, unknown>
  : Record<string, unknown>;

export type RowOf<K> = K extends keyof ViewRegistry
  ? ViewRegistry[K] extends { row: infer R } ? R : Record<string, unknown>
  : Record<string, unknown>;
