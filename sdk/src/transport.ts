/** What the client needs from a transport; WebSocket and Centrifugo implement it. */
import type { Push, SnapshotData, SyncEntry, SyncRequestView } from './protocol.js';

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
  connect(events: TransportEvents): void;
  disconnect(): void;
  subscribe(view: string, params: Record<string, unknown>): Promise<SnapshotData>;
  unsubscribe(view: string, paramsHash: string): Promise<void>;
  sync(views: SyncRequestView[]): Promise<SyncEntry[]>;
}
