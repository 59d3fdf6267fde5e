/** The wire shapes of Arcana's protocol v1 (docs/PROTOCOL.md), as this client reads and writes them. */
import type { JsonValue, PatchOperation } from './patch.js';

export type Row = Record<string, JsonValue>;
/** table → id → row */
export type Tables = Record<string, Record<string, Row>>;

export interface Ref {
  table: string;
  id: string;
  fields?: string[];
  nested?: Record<string, Ref>;
}

/** Answer to subscribe (HTTP `data`, or the WebSocket `snapshot` reply without `reply_to`/`type`). */
export interface SnapshotData {
  params_hash: string;
  version: number;
  seance_id?: string;
  refs: Ref[];
  tables: Tables;
  total?: number;
}

export interface SyncRequestView {
  view: string;
  params_hash: string;
  version: number;
  params?: Record<string, unknown>;
}

export interface CatchUpPatch {
  version: number;
  refs_patch: PatchOperation[];
  total?: number;
  tables?: Tables;
}

export type SyncEntry =
  | { view: string; params_hash: string; mode: 'catch_up'; version: number; patches: CatchUpPatch[]; tables?: Tables; total?: number }
  | { view: string; params_hash: string; mode: 'snapshot'; version: number; refs: Ref[]; tables: Tables; total?: number }
  | { view: string; params_hash: string; mode: 'error'; code: string; error: string };

export interface TableDiff {
  table: string;
  id: string;
  ver: number;
  patch?: PatchOperation[];
  deleted?: boolean;
}

export interface ViewDiff {
  view: string;
  params_hash: string;
  version: number;
  refs_patch: PatchOperation[];
  tables?: Tables;
  total?: number;
}

export type Push =
  | { type: 'table_diff'; data: TableDiff }
  | { type: 'view_diff'; data: ViewDiff }
  | { type: 'resync'; data: { reason?: string } }
  | { type: 'disconnect'; data?: Record<string, unknown> };

/** A mutation request (HTTP `POST {mount}/mutate` body, or the WebSocket `mutate` frame without `id`/`type`). */
export interface MutateRequest {
  action: string;
  params: Record<string, unknown>;
  mutation_id: string;
}

/** A subscription of this seance that the mutation re-ran, at the version that includes it. */
export interface MutatedView {
  view: string;
  params_hash: string;
  version: number;
}

/** A row the mutation changed that the workspace's store holds, at the `ver` that includes it. */
export interface MutatedRow {
  table: string;
  id: string;
  ver: number;
}

/** A mutation's success (HTTP 200 body without `ok`, or the WebSocket `mutate_ok` frame without `reply_to`/`type`). */
export interface MutateReply {
  /** What the handler returned (`null` for nothing). */
  data: JsonValue;
  mutation_id: string;
  views: MutatedView[];
  rows: MutatedRow[];
  /** True when the server answered a retried `mutation_id` with its first outcome. */
  replayed: boolean;
}

/** An error answered by the server (HTTP envelope or WebSocket `error` frame), or raised by a transport. */
export class ArcanaError extends Error {
  /**
   * @param reason for `conflict` (a mutation the application rejected): the application's own code,
   *   e.g. `title_taken`; the message is then its text for the user
   */
  constructor(readonly code: string, message: string, readonly status?: number, readonly reason?: string) {
    super(message);
    this.name = 'ArcanaError';
  }
}

/** The connection was lost while a request was in flight; the client retries after reconnecting. */
export class DisconnectedError extends ArcanaError {
  constructor(message = 'not connected') {
    super('disconnected', message);
    this.name = 'DisconnectedError';
  }
}
