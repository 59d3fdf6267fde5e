/** The connection's lifecycle: connect, report the status, reconnect with backoff after a loss, close for good. */
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { Push } from './protocol.js';
import type { Timers } from './timers.js';
import type { Transport } from './transport.js';

export type ConnectionStatus = 'connecting' | 'live' | 'offline' | 'closed';

export interface ConnectionHandlers {
  /** Connected (again): views must be re-established. */
  opened(): void;
  /** Lost; a reconnect is scheduled (unless the transport reconnects by itself). */
  lost(): void;
  push(message: Push): void;
}

export class Connection {
  private current: ConnectionStatus = 'connecting';
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();
  private attempt = 0;
  private reconnectTimer: unknown;

  constructor(
    private readonly transport: Transport,
    private readonly handlers: ConnectionHandlers,
    private readonly timers: Timers,
    private readonly backoff: BackoffOptions | undefined,
    private readonly random: (() => number) | undefined,
  ) {}

  get status(): ConnectionStatus {
    return this.current;
  }

  /** Requests can be sent. */
  get isOpen(): boolean {
    return this.current === 'live';
  }

  get isClosed(): boolean {
    return this.current === 'closed';
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connect(): void {
    if (this.isClosed) return;
    this.setStatus('connecting');
    this.transport.connect({
      open: () => this.onOpen(),
      close: () => this.onClose(),
      push: (message) => this.handlers.push(message),
    });
  }

  close(): void {
    this.setStatus('closed');
    this.timers.clearTimeout(this.reconnectTimer);
    this.transport.disconnect();
  }

  private onOpen(): void {
    if (this.isClosed) return;
    this.attempt = 0;
    this.setStatus('live');
    this.handlers.opened();
  }

  private onClose(): void {
    if (this.isClosed) return;
    this.setStatus('offline');
    this.handlers.lost();
    if (this.transport.reconnectsItself) return;
    this.timers.clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(this.attempt++, this.backoff, this.random);
    this.reconnectTimer = this.timers.setTimeout(() => this.connect(), delay);
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.current === status) return;
    this.current = status;
    for (const listener of this.listeners) listener(status);
  }
}
