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

/**
 * Typing of mutations by action. The type generator writes a `mutations.d.ts` that augments
 * `MutationRegistry`; without it every action is a string with untyped params and result.
 *
 * ```ts
 * declare module '@arcana/sdk' {
 *   interface MutationRegistry { add_task: { params: { title: string }; result: unknown } }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MutationRegistry {}

type MutationsRegistered = keyof MutationRegistry extends never ? false : true;

export type MutationKey = MutationsRegistered extends true ? Extract<keyof MutationRegistry, string> : string;

export type MutationParamsOf<K> = K extends keyof MutationRegistry
  ? MutationRegistry[K] extends { params: infer P } ? P : Record<string, unknown>
  : Record<string, unknown>;

/** What the mutation's handler returns (`unknown` unless the app declares it in the registry). */
export type MutationResultOf<K> = K extends keyof MutationRegistry
  ? MutationRegistry[K] extends { result: infer R } ? R : unknown
  : unknown;
