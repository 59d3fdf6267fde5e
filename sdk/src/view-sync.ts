/**
 * Establishes views on the server and keeps them there: subscribe the new ones, sync the known ones
 * (after a reconnect, a gap, a resync), retry a subscribe the server could not answer yet, and end the
 * server subscription of a released view.
 */
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { DiffApplier } from './diff-applier.js';
import { ArcanaError, DisconnectedError, type SyncEntry } from './protocol.js';
import type { ReplyOrdering } from './reply-ordering.js';
import type { Timers } from './timers.js';
import type { Transport } from './transport.js';
import type { ViewEntries } from './view-entries.js';
import type { ViewEntry } from './view.js';

/** Server error codes after which the same subscribe may succeed later. */
const TRANSIENT_ERRORS = new Set(['not_ready', 'internal']);

export interface ViewSyncOptions {
  transport: Transport;
  entries: ViewEntries;
  applier: DiffApplier;
  ordering: ReplyOrdering;
  timers: Timers;
  isOpen(): boolean;
  reportError(error: unknown): void;
  backoff?: BackoffOptions;
  random?: () => number;
}

export class ViewSync {
  constructor(private readonly o: ViewSyncOptions) {}

  /** Brings views up to date: sync those the server may know, subscribe the others. */
  async establish(entries: ViewEntry[]): Promise<void> {
    // a view with a request in flight may miss what this call is about (a resync): sync it once that is answered
    for (const entry of entries) if (entry.request !== 'idle') entry.syncAgain = true;
    const known = entries.filter((e) => e.hash !== undefined && e.request === 'idle');
    const fresh = entries.filter((e) => e.hash === undefined && e.request === 'idle');
    await Promise.all([known.length > 0 ? this.sync(known) : undefined, ...fresh.map((e) => this.subscribe(e))]);
  }

  /** Syncs views with the server; pushes for them that arrive meanwhile are buffered and replayed after. */
  async sync(entries: ViewEntry[]): Promise<void> {
    for (const entry of entries) entry.request = 'syncing';
    const since = this.o.ordering.beginRequest();
    try {
      await this.syncAndApply(entries, since);
    } finally {
      this.o.ordering.endRequest(since);
    }
    this.syncAgainIfAsked(entries);
  }

  /** Ends the server subscription `hash` (its late diffs are ignored meanwhile). */
  unsubscribe(view: string, hash: string): void {
    const done = this.o.entries.retire(hash);
    this.o.transport.unsubscribe(view, hash).then(done, done);
  }

  private async subscribe(entry: ViewEntry): Promise<void> {
    const { entries, applier, ordering } = this.o;
    entry.request = 'subscribing';
    const since = ordering.beginRequest();
    try {
      const snapshot = await this.o.transport.subscribe(entry.view, entry.params);
      if (!entries.isCurrent(entry)) {
        // released while the subscribe was in flight; unless a newer handle on the same view and
        // params shares the server subscription, end it
        if (!entries.has(entry.key)) this.unsubscribe(entry.view, snapshot.params_hash);
        return;
      }
      entry.subscribeFailures = 0;
      applier.snapshot(entry, snapshot, since);
    } catch (error) {
      if (!(error instanceof DisconnectedError)) this.subscribeFailed(entry, asArcanaError(error));
    } finally {
      entry.request = 'idle';
      applier.replayBuffered(entry); // while the row log still covers the request
      ordering.endRequest(since);
    }
    this.syncAgainIfAsked([entry]);
  }

  /**
   * A subscribe the server could not answer now (starting up: `not_ready`; a failed first run:
   * `internal`) is retried with backoff while the view is wanted; other errors (bad params,
   * unknown view, forbidden, too many subscriptions) are final.
   */
  private subscribeFailed(entry: ViewEntry, error: ArcanaError): void {
    entry.fail(error);
    if (!TRANSIENT_ERRORS.has(error.code)) return;
    const delay = backoffDelay(entry.subscribeFailures++, this.o.backoff, this.o.random);
    this.o.timers.setTimeout(() => {
      if (!this.o.entries.isCurrent(entry) || !this.o.isOpen()) return; // released, or a reconnect re-establishes it
      if (entry.hash === undefined && entry.request === 'idle') void this.subscribe(entry);
    }, delay);
  }

  private syncAgainIfAsked(entries: ViewEntry[]): void {
    const again = entries.filter((e) => e.syncAgain && e.request === 'idle' && this.o.entries.isCurrent(e));
    for (const entry of again) entry.syncAgain = false;
    if (again.length > 0 && this.o.isOpen()) void this.establish(again);
  }

  private async syncAndApply(entries: ViewEntry[], since: number): Promise<void> {
    let results: SyncEntry[];
    try {
      results = await this.o.transport.sync(entries.map((e) => ({
        // version 0 asks for a snapshot: after a lost sync reply, the server may hold a subscription
        // (re-created for that request) whose version means nothing to us
        view: e.view, params_hash: e.hash!, version: e.uncertain ? 0 : e.version, params: e.params,
      })));
    } catch (error) {
      for (const entry of entries) {
        entry.request = 'idle';
        entry.uncertain = true;
      }
      if (!(error instanceof DisconnectedError)) {
        this.o.reportError(error);
        for (const entry of entries) entry.fail(asArcanaError(error));
      }
      return;
    }
    const resubscribe: ViewEntry[] = [];
    entries.forEach((entry, index) => {
      const result = results[index];
      if (!this.o.entries.isCurrent(entry)) return;
      if (!result) {
        resubscribe.push(entry);
      } else if (result.mode === 'snapshot') {
        this.o.applier.snapshot(entry, result, since);
      } else if (result.mode === 'catch_up') {
        if (!this.o.applier.catchUp(entry, result, since)) resubscribe.push(entry);
      } else if (result.code === 'not_found') {
        resubscribe.push(entry);
      } else {
        entry.fail(new ArcanaError(result.code, result.error));
      }
    });
    for (const entry of entries) entry.request = 'idle';
    for (const entry of resubscribe) {
      this.o.entries.setHash(entry, undefined);
      await this.subscribe(entry);
    }
    for (const entry of entries) this.o.applier.replayBuffered(entry);
  }
}

export function asArcanaError(error: unknown): ArcanaError {
  if (error instanceof ArcanaError) return error;
  return new ArcanaError('internal', error instanceof Error ? error.message : String(error));
}
