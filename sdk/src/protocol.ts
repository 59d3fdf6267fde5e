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

/** An error answered by the server (HTTP envelope or WebSocket `error` frame), or raised by a transport. */
export class ArcanaError extends Error {
  constructor(readonly code: string, message: string, readonly status?: number) {
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
