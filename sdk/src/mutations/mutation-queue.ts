/**
 * The client's mutations, in the order they were made: sent one at a time (so the server runs them in
 * that order), kept across lost connections and reloads with their `mutation_id` (so none runs twice and
 * none is lost), retried with backoff while the server cannot run them now, and kept, with their
 * overlays, until their effects are in the views.
 */
import { backoffDelay, type BackoffOptions } from '../backoff.js';
import type { JsonValue } from '../patch.js';
import { ArcanaError, DisconnectedError, type MutateReply, type MutateRequest, type MutatedRow, type MutatedView } from '../protocol.js';
import type { Timers } from '../timers.js';
import type { OverlayOp } from './overlay-ops.js';

/**
 * - `queued`: waiting for its turn or for the connection;
 * - `sending`: the request is in flight;
 * - `retry_wait`: the last attempt failed and may succeed later; re-sent after a backoff delay;
 * - `applying`: the server ran it; its overlay stays until the views hold its effects.
 */
export type MutationState = 'queued' | 'sending' | 'retry_wait' | 'applying';

/** What must be in the client's state for a mutation's effects to be shown (from its reply). */
export interface Effects {
  /** subscriptions at the version that includes the mutation */
  views: MutatedView[];
  /** rows at the `ver` that includes it */
  rows: MutatedRow[];
  /** views (by key) whose state must come from a reply to a request sent after the mutation's reply */
  reread: string[];
  /** ReplyOrdering's number of the reply: a reply to a request sent later includes the effects */
  replyAt: number;
}

/** A mutation as persisted with the store: re-sent (or, with `effects`, awaited) after a reload. */
export interface PersistedMutation {
  id: string;
  action: string;
  params: Record<string, unknown>;
  ops: OverlayOp[];
  effects?: { views: MutatedView[]; rows: MutatedRow[]; reread?: string[] };
}

interface Mutation {
  readonly id: string;
  readonly action: string;
  readonly params: Record<string, unknown>;
  readonly ops: readonly OverlayOp[];
  state: MutationState;
  failures: number;
  effects?: Effects;
  /** the caller's promise; none for a mutation restored after a reload */
  outcome?: { resolve(data: JsonValue): void; reject(error: ArcanaError): void };
}

/** Codes after which the same mutation (same id) may succeed later: the server left nothing behind. */
const RETRIED_CODES = new Set(['internal', 'too_many_requests', 'not_ready', 'timeout', 'disconnected']);

export interface MutationQueueHooks {
  send(request: MutateRequest): Promise<MutateReply>;
  isOpen(): boolean;
  /** What to wait for before dropping the overlay `ops` of the mutation `reply` answers (see EffectsWatch). */
  awaitEffects(reply: MutateReply, ops: readonly OverlayOp[]): Effects;
  /** True when the client's state holds these effects. */
  effectsShown(effects: Effects): boolean;
  /** The pending mutations changed (overlays or states: worth saving); `ops` are the overlay ops added or dropped. */
  changed(ops: readonly OverlayOp[]): void;
  /** Runs one synchronous step whose view changes notify once (see ChangeBatch). */
  step(run: () => void): void;
  timers: Timers;
  backoff?: BackoffOptions;
  random?: () => number;
}

export class MutationQueue {
  private mutations: Mutation[] = [];
  private closed = false;

  constructor(private readonly hooks: MutationQueueHooks) {}

  /** The overlays of the pending mutations, oldest first. */
  layers(): Array<readonly OverlayOp[]> {
    return this.mutations.filter((m) => m.ops.length > 0).map((m) => m.ops);
  }

  has(id: string): boolean {
    return this.mutations.some((m) => m.id === id);
  }

  /** The pending mutations and their states, oldest first (for diagnostics and tests). */
  pending(): ReadonlyArray<{ id: string; action: string; state: MutationState }> {
    return this.mutations.map(({ id, action, state }) => ({ id, action, state }));
  }

  enqueue(id: string, action: string, params: Record<string, unknown>, ops: OverlayOp[]): Promise<JsonValue> {
    if (this.closed) return Promise.reject(new ArcanaError('closed', 'the client is closed'));
    return new Promise((resolve, reject) => {
      this.mutations.push({ id, action, params, ops, state: 'queued', failures: 0, outcome: { resolve, reject } });
      this.hooks.changed(ops);
      this.pump();
    });
  }

  /** Puts mutations persisted before a reload ahead of those made since. */
  restore(persisted: readonly PersistedMutation[]): void {
    const restored: Mutation[] = persisted
      .filter((p) => !this.has(p.id))
      .map((p) => ({
        id: p.id, action: p.action, params: p.params, ops: p.ops, failures: 0,
        // after a reload every view is read again: any reply holds the effects
        ...(p.effects ? { state: 'applying' as const, effects: { reread: [], ...p.effects, replyAt: 0 } } : { state: 'queued' as const }),
      }));
    if (restored.length === 0) return;
    this.mutations = [...restored, ...this.mutations];
    this.hooks.changed(restored.flatMap((m) => m.ops));
    this.pump();
  }

  persisted(): PersistedMutation[] {
    return this.mutations.map(({ id, action, params, ops, effects }) => ({
      id, action, params, ops: [...ops], ...(effects ? { effects: { views: effects.views, rows: effects.rows, reread: effects.reread } } : {}),
    }));
  }

  /** Connected (again): sends what waits. */
  resume(): void {
    this.pump();
  }

  /**
   * Drops the overlays of mutations whose effects the views now hold (run at the end of each step), oldest
   * first and in order only: a later overlay may edit what an earlier one shows (a delete of an optimistic
   * row), and dropping it first would show the earlier edit again.
   */
  dropShown(): void {
    let done = 0;
    while (done < this.mutations.length && this.mutations[done].state === 'applying' && this.hooks.effectsShown(this.mutations[done].effects!)) done++;
    if (done === 0) return;
    const shown = this.mutations.splice(0, done);
    this.hooks.changed(shown.flatMap((m) => m.ops));
  }

  /** The client closes: nothing more is sent; callers still waiting are told (a persisted queue is re-sent after a reload). */
  close(): void {
    this.closed = true;
    for (const mutation of this.mutations) {
      if (mutation.state === 'applying') continue;
      mutation.outcome?.reject(new ArcanaError('closed', 'the client was closed before the server answered'));
      mutation.outcome = undefined;
    }
  }

  /** Sends the oldest unanswered mutation, when it is its turn and the connection is open. */
  private pump(): void {
    if (this.closed || !this.hooks.isOpen()) return;
    const next = this.mutations.find((m) => m.state !== 'applying');
    if (next?.state !== 'queued') return; // none, or one in flight or waiting to retry: order first
    next.state = 'sending';
    this.hooks.send({ action: next.action, params: next.params, mutation_id: next.id }).then(
      (reply) => this.hooks.step(() => this.answered(next, reply)),
      (error: unknown) => this.hooks.step(() => this.failed(next, error)),
    );
  }

  private answered(mutation: Mutation, reply: MutateReply): void {
    if (!this.mutations.includes(mutation)) return;
    mutation.state = 'applying';
    mutation.effects = this.hooks.awaitEffects(reply, mutation.ops);
    mutation.outcome?.resolve(reply.data);
    mutation.outcome = undefined;
    this.hooks.changed([]); // no overlay change, a state worth saving
    this.pump();
  }

  private failed(mutation: Mutation, error: unknown): void {
    if (!this.mutations.includes(mutation)) return;
    const arcanaError = error instanceof ArcanaError
      ? error
      : new ArcanaError('internal', error instanceof Error ? error.message : String(error));
    if (!RETRIED_CODES.has(arcanaError.code)) {
      // a final outcome (the server remembers it too): the overlay goes, the caller hears why
      this.mutations = this.mutations.filter((m) => m !== mutation);
      this.hooks.changed(mutation.ops);
      mutation.outcome?.reject(arcanaError);
      this.pump();
      return;
    }
    if (error instanceof DisconnectedError && !this.hooks.isOpen()) {
      mutation.state = 'queued'; // re-sent, same id, when the connection is back
      return;
    }
    mutation.state = 'retry_wait';
    const delay = backoffDelay(mutation.failures++, this.hooks.backoff, this.hooks.random);
    this.hooks.timers.setTimeout(() => {
      if (mutation.state !== 'retry_wait') return;
      mutation.state = 'queued';
      this.pump();
    }, delay);
  }
}
