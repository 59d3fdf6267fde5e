/**
 * A reference model of the server side of the protocol (docs/PROTOCOL.md), small enough to trust:
 * a database of tasks and users, two graphs, per-subscription versions and history, a normalised
 * store that sends table_diffs for the rows it holds, view_diffs with RFC 6902 refs patches (built
 * with several valid strategies, moves included), and sync (catch_up / snapshot / error).
 *
 * Tests drive a real ArcanaClient against it and compare what the client shows with `fresh()`, the
 * snapshot the server would answer now.
 */
import type { JsonValue, PatchOperation } from '../../src/patch.js';
import type { MutateReply, MutatedRow, MutatedView, Push, Ref, Row, SnapshotData, SyncEntry, SyncRequestView, Tables } from '../../src/protocol.js';

export type Random = () => number;

export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TASK_FIELDS = ['id', 'title', 'done', 'assignee_id', 'position'];
const USER_FIELDS = ['id', 'name'];

interface Subscription {
  view: string;
  params: Record<string, unknown>;
  hash: string;
  version: number;
  refs: Ref[];
  total: number;
  history: { version: number; refs_patch: PatchOperation[]; total: number }[];
}

/** An error a mutation is answered with (`reason` for `conflict`). */
export class ModelError extends Error {
  constructor(readonly code: string, message: string, readonly reason?: string) {
    super(message);
  }
}

type Outcome = { reply: MutateReply } | { error: ModelError };

export interface ServerOptions {
  /** versions of history kept per subscription; larger gaps sync by snapshot */
  snapshotThreshold?: number;
  random?: Random;
}

export class ModelServer {
  readonly db = { tasks: new Map<string, Row>(), users: new Map<string, Row>() };
  private subs = new Map<string, Subscription>();
  /** the normalised store: rows it holds, as last sent, and their per-row version */
  private held = new Map<string, { row: Row; ver: number }>();
  private nextId = 1;
  private readonly random: Random;
  private readonly threshold: number;
  listener: ((push: Push) => void) | undefined;
  /** mutation_id → first outcome: the server's memory of the (one) seance */
  private readonly outcomes = new Map<string, Outcome>();
  /** mutation_id → how many times its handler ran (and committed or was rejected) */
  readonly runs = new Map<string, number>();
  /** mutation ids in the order their handlers ran */
  readonly ranInOrder: string[] = [];
  /** chance that a mutation's handler rejects it (`conflict`, reason `title_taken`) */
  rejectRate = 0;
  /** chance that the server cannot run a mutation now (`internal`, nothing remembered: retried) */
  failRate = 0;
  /** answers to give to the next mutation requests before running them (e.g. `not_ready`), then remembered nothing */
  readonly refuseNext: string[] = [];

  constructor(options: ServerOptions = {}) {
    this.random = options.random ?? Math.random;
    this.threshold = options.snapshotThreshold ?? 50;
  }

  // ---- data ----

  addUser(name: string): string {
    const id = `u${this.nextId++}`;
    this.db.users.set(id, { id, name });
    return id;
  }

  addTask(title: string, assignee: string | null, position: number, done = false): string {
    const id = `t${this.nextId++}`;
    this.db.tasks.set(id, { id, title, done, assignee_id: assignee, position });
    return id;
  }

  /** One random write, then the engine's re-run (pushes). */
  randomWrite(): void {
    const r = this.random();
    const tasks = [...this.db.tasks.keys()];
    const users = [...this.db.users.keys()];
    const pick = <T>(list: T[]): T => list[Math.floor(this.random() * list.length)];
    const someUser = (): string | null => (users.length === 0 || this.random() < 0.25 ? null : pick(users));
    if (r < 0.25 || tasks.length === 0) {
      this.addTask(`task ${this.nextId} ~/`, someUser(), Math.floor(this.random() * 10), this.random() < 0.3);
    } else if (r < 0.4) {
      this.db.tasks.delete(pick(tasks));
    } else if (r < 0.55) {
      const task = this.db.tasks.get(pick(tasks))!;
      task.done = !task.done;
    } else if (r < 0.7) {
      this.db.tasks.get(pick(tasks))!.position = Math.floor(this.random() * 10);
    } else if (r < 0.8) {
      this.db.tasks.get(pick(tasks))!.assignee_id = someUser();
    } else if (r < 0.9) {
      this.db.tasks.get(pick(tasks))!.title = `renamed ${this.nextId++}`;
    } else if (r < 0.97 || users.length < 2) {
      if (users.length > 0) this.db.users.get(pick(users))!.name = `user ${this.nextId++}`;
      else this.addUser('first');
    } else {
      this.addUser(`new user ${this.nextId}`);
    }
    this.publishChanges();
  }

  // ---- mutations ----

  /**
   * Runs a mutation as the engine does: strict params, the handler in one transaction, then the
   * re-runs (pushes queued before the reply), the reply naming the re-run subscriptions and changed
   * rows with their versions; a remembered id answers its first outcome, `replayed`.
   */
  mutate(action: string, params: Record<string, unknown>, mutationId: string): MutateReply {
    const refusal = this.refuseNext.shift();
    if (refusal) throw new ModelError(refusal, `refused: ${refusal}`);
    const remembered = this.outcomes.get(mutationId);
    if (remembered) {
      if ('error' in remembered) throw remembered.error;
      return { ...remembered.reply, replayed: true };
    }
    if (this.failRate > 0 && this.random() < this.failRate) throw new ModelError('internal', 'internal error (ref model)');
    this.runs.set(mutationId, (this.runs.get(mutationId) ?? 0) + 1);
    this.ranInOrder.push(mutationId);
    let outcome: Outcome;
    try {
      const data = this.runHandler(action, params);
      const versions = new Map([...this.subs.values()].map((sub) => [sub.hash, sub.version]));
      const vers = new Map([...this.held].map(([k, entry]) => [k, entry.ver]));
      this.publishChanges();
      const views: MutatedView[] = [...this.subs.values()]
        .filter((sub) => sub.version !== versions.get(sub.hash))
        .map((sub) => ({ view: sub.view, params_hash: sub.hash, version: sub.version }));
      const rows: MutatedRow[] = [];
      for (const [k, ver] of vers) {
        const now = this.held.get(k)?.ver;
        const [table, id] = k.split('\u0000');
        if (now === undefined) rows.push({ table, id, ver: ver + 1 }); // deleted
        else if (now !== ver) rows.push({ table, id, ver: now });
      }
      outcome = { reply: { data, mutation_id: mutationId, views, rows, replayed: false } };
    } catch (error) {
      outcome = { error: error as ModelError };
    }
    this.outcomes.set(mutationId, outcome);
    if ('error' in outcome) throw outcome.error;
    return outcome.reply;
  }

  private runHandler(action: string, params: Record<string, unknown>): JsonValue {
    const id = String(params.id);
    const task = this.db.tasks.get(id);
    const rejected = (): boolean => this.rejectRate > 0 && this.random() < this.rejectRate;
    switch (action) {
      case 'add_task':
        if (task) throw new ModelError('conflict', `task ${id} exists`, 'duplicate_id');
        if (rejected()) throw new ModelError('conflict', 'a task with this title exists', 'title_taken');
        this.db.tasks.set(id, { id, title: String(params.title), done: params.done === true, assignee_id: null, position: Number(params.position ?? 0) });
        return { id };
      case 'rename_task':
        if (!task) throw new ModelError('not_found', `no task ${id}`);
        if (rejected()) throw new ModelError('conflict', 'a task with this title exists', 'title_taken');
        task.title = String(params.title);
        return null;
      case 'toggle_done':
        if (!task) throw new ModelError('not_found', `no task ${id}`);
        task.done = !task.done;
        return task.done;
      case 'delete_task':
        this.db.tasks.delete(id);
        return null;
      default:
        throw new ModelError('not_found', `no mutation '${action}'`);
    }
  }

  // ---- graphs ----

  private run(view: string, params: Record<string, unknown>): { refs: Ref[]; total: number } {
    if (view === 'task_list') {
      let tasks = [...this.db.tasks.values()];
      if (typeof params.done === 'boolean') tasks = tasks.filter((t) => t.done === params.done);
      tasks.sort((a, b) => (a.position as number) - (b.position as number) || String(a.id).localeCompare(String(b.id)));
      const total = tasks.length;
      const refs = tasks.slice(0, (params.limit as number | undefined) ?? 100).map((t) => {
        const ref: Ref = { table: 'tasks', id: t.id as string, fields: TASK_FIELDS };
        const assignee = t.assignee_id as string | null;
        if (assignee && this.db.users.has(assignee)) ref.nested = { assignee: { table: 'users', id: assignee, fields: USER_FIELDS } };
        return ref;
      });
      return { refs, total };
    }
    if (view === 'user_list') {
      const users = [...this.db.users.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)) || String(a.id).localeCompare(String(b.id)));
      return { refs: users.map((u) => ({ table: 'users', id: u.id as string, fields: USER_FIELDS })), total: users.length };
    }
    throw Object.assign(new Error(`unknown view ${view}`), { code: 'not_found' });
  }

  static hash(view: string, params: Record<string, unknown>): string {
    return `${view}:${JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]))}`;
  }

  /** What a fresh subscribe would show now: rows resolved, nested included, projected to the ref's fields. */
  fresh(view: string, params: Record<string, unknown>): { data: unknown[]; total: number } {
    const { refs, total } = this.run(view, params);
    const resolve = (ref: Ref): Record<string, unknown> => {
      const row = (this.db as unknown as Record<string, Map<string, Row>>)[ref.table].get(ref.id)!;
      const out: Record<string, unknown> = {};
      for (const f of ref.fields ?? Object.keys(row)) out[f] = row[f];
      for (const [name, nested] of Object.entries(ref.nested ?? {})) out[name] = resolve(nested);
      return out;
    };
    return { data: refs.map(resolve), total };
  }

  /** The server's version of a subscription (undefined when it holds none). */
  versionOf(hash: string): number | undefined {
    return this.subs.get(hash)?.version;
  }

  // ---- protocol ----

  subscribe(view: string, params: Record<string, unknown>): SnapshotData {
    const { refs, total } = this.run(view, params);
    if (process.env.TRACE) console.log('model subscribe', view, JSON.stringify(params));
    const hash = ModelServer.hash(view, params);
    const existing = this.subs.get(hash);
    if (existing) {
      // as the engine does: subscribing again answers a fresh snapshot of the existing subscription
      return { params_hash: hash, version: existing.version, refs: clone(existing.refs), tables: this.rowsOf(existing.refs), total: existing.total };
    }
    this.subs.set(hash, { view, params, hash, version: 1, refs, total, history: [] });
    this.hold(refs);
    return { params_hash: hash, version: 1, refs: clone(refs), tables: this.rowsOf(refs), total };
  }

  /** GET /active: the caller's subscriptions (the engine's answer, one seance per model). */
  active(): Array<{ view: string; params_hash: string; version: number }> {
    return [...this.subs.values()].map((sub) => ({ view: sub.view, params_hash: sub.hash, version: sub.version }));
  }

  unsubscribe(hash: string): void {
    if (!this.subs.delete(hash)) throw Object.assign(new Error('no such subscription'), { code: 'not_found' });
  }

  sync(views: SyncRequestView[]): SyncEntry[] {
    return views.map((request) => {
      const sub = this.subs.get(request.params_hash);
      if (!sub) {
        if (!request.params) return { view: request.view, params_hash: request.params_hash, mode: 'error', code: 'not_found', error: 'no such subscription' };
        const snapshot = this.subscribe(request.view, request.params);
        return { view: request.view, mode: 'snapshot', ...snapshot };
      }
      const missed = sub.history.filter((h) => h.version > request.version);
      const complete = request.version <= sub.version && missed.length === sub.version - request.version;
      if (request.version < 1 || !complete || sub.version - request.version > this.threshold) {
        sub.history = [];
        return { view: sub.view, params_hash: sub.hash, mode: 'snapshot', version: sub.version, refs: clone(sub.refs), tables: this.rowsOf(sub.refs), total: sub.total };
      }
      return {
        view: sub.view, params_hash: sub.hash, mode: 'catch_up', version: sub.version,
        patches: missed.map((h) => ({ version: h.version, refs_patch: clone(h.refs_patch), total: h.total })),
        tables: this.rowsOf(sub.refs),
      };
    });
  }

  /** The store's periodic collection: rows no subscription references are dropped (silently). */
  gc(): void {
    const referenced = new Set<string>();
    for (const sub of this.subs.values()) for (const k of keysOf(sub.refs)) referenced.add(k);
    for (const k of [...this.held.keys()]) if (!referenced.has(k)) this.held.delete(k);
  }

  /** The server restarts: every subscription and the store are gone. */
  restart(): void {
    this.subs.clear();
    this.held.clear();
    this.outcomes.clear(); // the memory of mutation ids is per server instance
  }

  /** Re-runs every subscription and pushes: row patches, then view_diffs, then deletions. */
  publishChanges(): void {
    const pushes: Push[] = [];
    for (const [key, entry] of this.held) {
      const [table, id] = key.split('\u0000');
      const current = (this.db as unknown as Record<string, Map<string, Row>>)[table].get(id);
      if (!current) continue;
      const patch: PatchOperation[] = [];
      for (const field of Object.keys(current)) {
        if (!(field in entry.row)) patch.push({ op: 'add', path: `/${field}`, value: current[field] });
        else if (entry.row[field] !== current[field]) patch.push({ op: 'replace', path: `/${field}`, value: current[field] });
      }
      if (patch.length > 0) {
        entry.row = { ...current };
        entry.ver++;
        pushes.push({ type: 'table_diff', data: { table, id, ver: entry.ver, patch } });
      }
    }
    for (const sub of this.subs.values()) {
      const { refs, total } = this.run(sub.view, sub.params);
      if (JSON.stringify(refs) === JSON.stringify(sub.refs) && total === sub.total) continue;
      const before = keysOf(sub.refs);
      const entered = refs.length === 0 ? [] : collect(refs).filter((r) => !before.has(key(r)));
      const refsPatch = this.diff(sub.refs, refs);
      sub.version++;
      if (process.env.TRACE) console.log('publish', sub.hash, sub.version, JSON.stringify(refsPatch));
      sub.history.push({ version: sub.version, refs_patch: refsPatch, total });
      sub.refs = refs;
      sub.total = total;
      this.hold(refs);
      pushes.push({
        type: 'view_diff',
        data: { view: sub.view, params_hash: sub.hash, version: sub.version, refs_patch: refsPatch, tables: this.rowsOf(entered), total },
      });
    }
    const referenced = new Set<string>();
    for (const sub of this.subs.values()) for (const k of keysOf(sub.refs)) referenced.add(k);
    for (const [k, entry] of [...this.held]) {
      if (referenced.has(k)) continue;
      const [table, id] = k.split('\u0000');
      if (!(this.db as unknown as Record<string, Map<string, Row>>)[table].has(id)) {
        this.held.delete(k);
        pushes.push({ type: 'table_diff', data: { table, id, ver: entry.ver + 1, deleted: true } });
      }
      // rows no view references stay held (and patched) until gc(), as in the engine's store
    }
    for (const push of pushes) this.listener?.(push);
  }

  private hold(refs: Ref[]): void {
    for (const ref of collect(refs)) {
      const k = key(ref);
      const row = (this.db as unknown as Record<string, Map<string, Row>>)[ref.table].get(ref.id)!;
      const entry = this.held.get(k);
      if (!entry) this.held.set(k, { row: { ...row }, ver: 1 });
    }
  }

  private rowsOf(refs: Ref[]): Tables {
    const tables: Tables = {};
    for (const ref of collect(refs)) {
      const row = (this.db as unknown as Record<string, Map<string, Row>>)[ref.table].get(ref.id)!;
      const out: Row = {};
      for (const f of ref.fields ?? Object.keys(row)) out[f] = row[f];
      (tables[ref.table] ??= {})[ref.id] = out;
    }
    return tables;
  }

  /** A valid RFC 6902 patch from `before` to `after`, by one of several strategies. */
  private diff(before: Ref[], after: Ref[]): PatchOperation[] {
    const r = this.random();
    if (r < 0.1) return [{ op: 'replace', path: '', value: clone(after) as unknown as JsonValue }];
    if (r < 0.25) {
      const ops: PatchOperation[] = [];
      for (let i = before.length - 1; i >= 0; i--) ops.push({ op: 'remove', path: `/${i}` });
      for (const ref of after) ops.push({ op: 'add', path: '/-', value: clone(ref) as unknown as JsonValue });
      return ops;
    }
    return this.moveDiff(before, after);
  }

  /** Removes what left, then walks the target positions with move/add, and fixes nested refs in place. */
  private moveDiff(before: Ref[], after: Ref[]): PatchOperation[] {
    const ops: PatchOperation[] = [];
    const cur = clone(before);
    const wanted = new Set(after.map(key));
    for (let i = cur.length - 1; i >= 0; i--) {
      if (!wanted.has(key(cur[i]))) {
        if (this.random() < 0.3) ops.push({ op: 'test', path: `/${i}/id`, value: cur[i].id });
        ops.push({ op: 'remove', path: `/${i}` });
        cur.splice(i, 1);
      }
    }
    after.forEach((target, i) => {
      const j = cur.findIndex((ref, index) => index >= i && key(ref) === key(target));
      if (j < 0) {
        const path = i === cur.length && this.random() < 0.5 ? '/-' : `/${i}`;
        ops.push({ op: 'add', path, value: clone(target) as unknown as JsonValue });
        cur.splice(i, 0, clone(target));
        return;
      }
      if (j !== i) {
        ops.push({ op: 'move', from: `/${j}`, path: `/${i}` });
        const [moved] = cur.splice(j, 1);
        cur.splice(i, 0, moved);
      }
      const had = cur[i].nested?.assignee;
      const has = target.nested?.assignee;
      if (JSON.stringify(had) === JSON.stringify(has)) return;
      if (had && has) {
        ops.push(this.random() < 0.5
          ? { op: 'replace', path: `/${i}/nested/assignee/id`, value: has.id }
          : { op: 'replace', path: `/${i}/nested`, value: clone(target.nested!) as unknown as JsonValue });
      } else if (has) {
        ops.push({ op: 'add', path: `/${i}/nested`, value: clone(target.nested!) as unknown as JsonValue });
      } else {
        ops.push({ op: 'remove', path: `/${i}/nested` });
      }
      cur[i] = clone(target);
    });
    return ops;
  }
}

function key(ref: Ref): string {
  return `${ref.table}\u0000${ref.id}`;
}

function collect(refs: Ref[]): Ref[] {
  const out: Ref[] = [];
  const visit = (ref: Ref): void => {
    out.push(ref);
    for (const nested of Object.values(ref.nested ?? {})) visit(nested);
  };
  refs.forEach(visit);
  return out;
}

function keysOf(refs: Ref[]): Set<string> {
  return new Set(collect(refs).map(key));
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
