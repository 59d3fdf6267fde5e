/** What the client needs from a transport; WebSocket and Centrifugo implement it. */
import type { MutateReply, MutateRequest, Push, SnapshotData, SyncEntry, SyncRequestView } from './protocol.js';

export interface TransportEvents {
  /** Connected (again): requests can be sent, and pushes may have been missed while away. */
  open(): void;
  /** The connection was lost; requests in flight have failed with a DisconnectedError. */
  close(reason?: string): void;
  push(message: Push): void;
}

export interface Transport {
  /**
   * True when the transport reconnects by itself (Centrifugo's client does); otherwise the client
   * calls `connect` again, with backoff, after every `close`.
   */
  readonly reconnectsItself?: boolean;
  /**
   * True (the default) when replies and pushes arrive in the order the server produced them, as on
   * one WebSocket. False for HTTP replies next to Centrifugo publications: the client then re-applies
   * row diffs that arrived while a request was in flight to the rows of its reply.
   */
  readonly ordered?: boolean;
  connect(events: TransportEvents): void;
  disconnect(): void;
  subscribe(view: string, params: Record<string, unknown>): Promise<SnapshotData>;
  unsubscribe(view: string, paramsHash: string): Promise<void>;
  sync(views: SyncRequestView[]): Promise<SyncEntry[]>;
  /**
   * Runs a mutation; rejects with the server's error (an ArcanaError with `code`, and `reason` for
   * `conflict`) or a DisconnectedError. Optional: without it, `client.mutate` fails with `unsupported`.
   */
  mutate?(request: MutateRequest): Promise<MutateReply>;
}
