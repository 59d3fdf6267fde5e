/** client.mutate: optimistic overlays, order, rollback, the no-flicker rule (WebSocket and HTTP), the offline queue and its persistence. */
import { afterEach, describe, expect, it } from 'vitest';
import { ArcanaClient } from '../src/client.js';
import { MemoryPersistence } from '../src/persistence.js';
import { ArcanaError } from '../src/protocol.js';
import type { Transport } from '../src/transport.js';
import type { ViewHandle } from '../src/view.js';
import { ModelServer } from './support/model-server.js';
import { ManualTimers, ModelTransport, settle } from './support/model-transport.js';

function world(options: { persistence?: MemoryPersistence; server?: ModelServer } = {}) {
  const server = options.server ?? new ModelServer({ random: () => 0.9 });
  if (!options.server) {
    const ada = server.addUser('Ada'); // u1
    server.addTask('write', ada, 0); // t2
    server.addTask('review', null, 1, true); // t3
  }
  const transport = new ModelTransport(server);
  const timers = new ManualTimers();
  const errors: unknown[] = [];
  const client = new ArcanaClient({ transport, timers, persistence: options.persistence, persistDelayMs: 0, onError: (e) => errors.push(e) });
  return { server, transport, timers, client, errors };
}

const titles = (handle: ViewHandle) => handle.data.map((row) => row.title);

/** Every state a view showed, one entry per notification. */
function record(handle: ViewHandle): string[][] {
  const shown: string[][] = [];
  handle.onChange(() => shown.push(handle.data.map((row) => String(row.title))));
  return shown;
}

const addTask = (id: string, title: string, position: number) => ({
  optimistic: (tx: import('../src/mutations/overlay-ops.js').OptimisticTx) => {
    tx.put('tasks', id, { id, title, done: false, assignee_id: null, position });
    tx.view('task_list').insert('tasks', id, { at: position });
  },
});

describe('client.mutate', () => {
  let client: ArcanaClient | undefined;
  afterEach(() => client?.close());

  it('moves the total by the rows pending mutations add to or hide from the view', async () => {
    const w = world();
    client = w.client;
    const all = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const serverTotal = all.total;
    expect(serverTotal).toBe(2);
    w.transport.cut();

    void w.client.mutate('add_task', { id: 'n1' }, addTask('n1', 'new', 9)).catch(() => undefined);
    expect(all.total).toBe(3);
    void w.client.mutate('delete_task', { id: 't3' }, { optimistic: (tx) => tx.delete('tasks', 't3') }).catch(() => undefined);
    expect(all.total).toBe(2);
    void w.client.mutate('delete_task', { id: 't2' }, { optimistic: (tx) => tx.delete('tasks', 't2') }).catch(() => undefined);
    expect(all.total).toBe(1);
  });

  it('shows optimistic row edits in every view that shows the row, and ref edits in the targeted views only', async () => {
    const w = world();
    client = w.client;
    const all = w.client.subscribe('task_list', {});
    const open = w.client.subscribe('task_list', { done: false });
    const users = w.client.subscribe('user_list', {});
    await settle(w.transport);
    w.transport.cut(); // stays queued: only the overlay shows

    void w.client.mutate('rename_user', { id: 'u1' }, { optimistic: (tx) => tx.update('users', 'u1', { name: 'Ada L.' }) }).catch(() => undefined);
    expect(all.data[0].assignee).toEqual({ id: 'u1', name: 'Ada L.' });
    expect(users.data.map((u) => u.name)).toEqual(['Ada L.']);

    void w.client.mutate('add_task', { id: 'n1' }, {
      optimistic: (tx) => {
        tx.put('tasks', 'n1', { id: 'n1', title: 'new', done: false, assignee_id: null, position: 9 });
        tx.view('task_list', { done: false }).insert('tasks', 'n1', { at: 'start' });
      },
    }).catch(() => undefined);
    expect(titles(open)).toEqual(['new', 'write']);
    expect(titles(all)).toEqual(['write', 'review']); // other params: not targeted

    void w.client.mutate('delete_task', { id: 't3' }, { optimistic: (tx) => tx.delete('tasks', 't3') }).catch(() => undefined);
    void w.client.mutate('move', {}, { optimistic: (tx) => tx.view('task_list', { done: false }).move('tasks', 't2', 0) }).catch(() => undefined);
    expect(titles(all)).toEqual(['write']);
    expect(titles(open)).toEqual(['write', 'new']);

    void w.client.mutate('hide', {}, {
      optimistic: (tx) => {
        expect(tx.get('tasks', 'n1')).toMatchObject({ title: 'new' }); // earlier overlays are read through
        tx.view('task_list').remove('tasks', 't2'); // every task_list subscription
        tx.update('tasks', 'missing', { title: 'x' }); // nothing: no such row
      },
    }).catch(() => undefined);
    expect(titles(all)).toEqual([]);
    expect(titles(open)).toEqual(['new']);
    expect(all.refs).toEqual([{ table: 'tasks', id: 't3', fields: ['id', 'title', 'done', 'assignee_id', 'position'] }]); // t3's row is deleted
    expect(w.client.pendingMutations().map((m) => [m.action, m.state])).toEqual([
      ['rename_user', 'queued'], ['add_task', 'queued'], ['delete_task', 'queued'], ['move', 'queued'], ['hide', 'queued'],
    ]);
    expect(w.client.store.get('users', 'u1')).toEqual({ id: 'u1', name: 'Ada' }); // the server's state is untouched
  });

  it('sends mutations one at a time, in the order they were made, with <random>:<counter> ids', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);

    const results = [
      w.client.mutate('add_task', { id: 'a', title: 'A', position: 5 }),
      w.client.mutate('rename_task', { id: 'a', title: 'A2' }), // needs the first to have run
      w.client.mutate('toggle_done', { id: 'a' }),
    ];
    expect(w.transport.mutateRequests).toHaveLength(1); // the next waits for this one's reply
    await settle(w.transport);

    expect(await Promise.all(results)).toEqual([{ id: 'a' }, null, true]);
    const ids = w.transport.mutateRequests.map((r) => r.mutation_id);
    expect(w.server.ranInOrder).toEqual(ids);
    expect(ids.map((id) => id.split(':')[1])).toEqual(['1', '2', '3']);
    expect(new Set(ids.map((id) => id.split(':')[0])).size).toBe(1);
    expect(ids[0]).toMatch(/^[A-Za-z0-9]{16,}:1$/);
    expect(tasks.data.at(-1)).toMatchObject({ id: 'a', title: 'A2', done: true });
    expect(w.client.pendingMutations()).toEqual([]);
  });

  it('rolls back a refused mutation and rejects with code, message and reason; later overlays stay', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const shown = record(tasks);

    w.server.rejectRate = 1; // the handler refuses: conflict, title_taken
    const refused = w.client.mutate('rename_task', { id: 't2', title: 'taken' }, { optimistic: (tx) => tx.update('tasks', 't2', { title: 'taken' }) });
    const outcome = refused.catch((e: unknown) => e);
    expect(titles(tasks)).toEqual(['taken', 'review']);
    w.transport.cut(); // the second waits, its overlay shown over the rolled-back first
    const second = w.client.mutate('toggle_done', { id: 't3' }, { optimistic: (tx) => tx.update('tasks', 't3', { title: 'review (reopened)' }) });
    expect(titles(tasks)).toEqual(['taken', 'review (reopened)']);
    await settle(w.transport, w.timers);

    const error = await outcome;
    expect(error).toBeInstanceOf(ArcanaError);
    expect(error).toMatchObject({ code: 'conflict', message: 'a task with this title exists', reason: 'title_taken' });
    expect(w.server.db.tasks.get('t2')!.title).toBe('write');
    expect(titles(tasks)).toEqual(['write', 'review']); // second's overlay is gone too: its effects are in
    expect(await second).toBe(false);
    const states = shown.filter((state, i) => i === 0 || JSON.stringify(state) !== JSON.stringify(shown[i - 1]));
    expect(states).toEqual([
      ['taken', 'review'],
      ['taken', 'review (reopened)'],
      ['write', 'review (reopened)'], // the first rolled back, the second's overlay kept
      ['write', 'review'], // the second done: the server's state
    ]);
  });

  it('wrongly shaped calls fail at once: a bad id, a reused id, a transport without mutate, a closed client', async () => {
    const w = world();
    client = w.client;
    await expect(w.client.mutate('x', {}, { mutationId: 'has space' })).rejects.toMatchObject({ code: 'bad_request' });
    w.transport.cut();
    void w.client.mutate('x', {}, { mutationId: 'mine:1' }).catch(() => undefined);
    await expect(w.client.mutate('x', {}, { mutationId: 'mine:1' })).rejects.toMatchObject({ code: 'bad_request', message: 'mutation id mine:1 is already pending' });
    const bare: Transport = { connect() {}, disconnect() {}, subscribe: () => new Promise(() => undefined), unsubscribe: async () => undefined, sync: async () => [] };
    const other = new ArcanaClient({ transport: bare });
    await expect(other.mutate('x', {})).rejects.toMatchObject({ code: 'unsupported' });
    other.close();
    w.client.close();
    await expect(w.client.mutate('x', {})).rejects.toMatchObject({ code: 'closed', message: 'the client is closed' });
  });
});

describe('no flicker: an optimistic row stays until the server state that holds it is shown', () => {
  let client: ArcanaClient | undefined;
  afterEach(() => client?.close());

  it('over WebSocket: the diffs precede mutate_ok, and the overlay goes at mutate_ok in the same step', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const shown = record(tasks);

    const done = w.client.mutate('add_task', { id: 'n1', title: 'ship', position: 2 }, addTask('n1', 'ship (optimistic)', 2));
    expect(titles(tasks)).toEqual(['write', 'review', 'ship (optimistic)']);
    // queue now: table_diffs? none; view_diff (version 2) then mutate_ok
    w.transport.deliverOne(); // the view_diff: the server's row is in, the overlay's put still wins
    expect(titles(tasks)).toEqual(['write', 'review', 'ship (optimistic)']);
    expect(w.client.pendingMutations().map((m) => m.state)).toEqual(['sending']);
    w.transport.deliverOne(); // mutate_ok
    await Promise.resolve();
    expect(w.client.pendingMutations()).toEqual([]);
    expect(titles(tasks)).toEqual(['write', 'review', 'ship']);
    expect(await done).toEqual({ id: 'n1' });

    expect(shown).toEqual([
      ['write', 'review', 'ship (optimistic)'],
      ['write', 'review', 'ship (optimistic)'], // the view_diff (the row shown once: the insert is not repeated)
      ['write', 'review', 'ship'], // dropped and applied: one notification
    ]);
  });

  it('over HTTP: the reply comes first and the overlay stays until the views reach its versions', async () => {
    const w = world();
    client = w.client;
    w.transport.ordered = false;
    w.transport.mutateReplyFirst = true;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const shown = record(tasks);

    const done = w.client.mutate('rename_task', { id: 't2', title: 'write more' }, { optimistic: (tx) => tx.update('tasks', 't2', { title: 'write more' }) });
    w.transport.deliverOne(); // the reply, ahead of the table_diff
    expect(await done).toBeNull();
    expect(w.client.pendingMutations().map((m) => m.state)).toEqual(['applying']);
    expect(titles(tasks)).toEqual(['write more', 'review']); // not the old title in between
    w.transport.deliverOne(); // the table_diff with the row's ver
    expect(w.client.pendingMutations()).toEqual([]);
    expect(w.client.store.get('tasks', 't2')!.title).toBe('write more');
    expect(shown.every((state) => state[0] === 'write more')).toBe(true);
    expect(shown).toHaveLength(2); // the optimistic edit, then the drop applied with the diff
  });

  it('over HTTP, when the pushes are lost: the overlay stays until a sync (after a resync) brings the effects', async () => {
    const w = world();
    client = w.client;
    w.transport.ordered = false;
    w.transport.mutateReplyFirst = true;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const shown = record(tasks);

    w.transport.dropPushes = true;
    const done = w.client.mutate('add_task', { id: 'n1', title: 'ship', position: 0 }, addTask('n1', 'ship', 0));
    w.transport.dropPushes = false;
    await settle(w.transport);
    expect(await done).toEqual({ id: 'n1' });
    expect(w.client.pendingMutations().map((m) => m.state)).toEqual(['applying']); // still waiting for version 2
    expect(tasks.version).toBe(1);
    expect(titles(tasks)).toEqual(['ship', 'write', 'review']);

    w.transport.resync();
    await settle(w.transport);
    expect(tasks.version).toBe(2);
    expect(w.client.pendingMutations()).toEqual([]);
    expect(titles(tasks)).toEqual(['ship', 'write', 'review']);
    expect(shown.every((state) => state.includes('ship'))).toBe(true);
  });

  it('over HTTP, after a server restart: a fresh snapshot holds the effects even at a lower version', async () => {
    const w = world();
    client = w.client;
    w.transport.ordered = false;
    w.transport.mutateReplyFirst = true;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    w.server.addTask('other', null, 5);
    w.server.publishChanges();
    await settle(w.transport);
    expect(tasks.version).toBe(2);

    w.transport.dropPushes = true;
    const done = w.client.mutate('add_task', { id: 'n1', title: 'ship', position: 0 }, addTask('n1', 'ship', 0));
    w.transport.dropPushes = false;
    await settle(w.transport);
    await done;
    expect(w.client.pendingMutations().map((m) => m.state)).toEqual(['applying']);
    w.server.restart(); // the subscription restarts at version 1, below the reply's 3
    w.transport.cut();
    await settle(w.transport, w.timers);

    expect(tasks.version).toBe(1);
    expect(w.client.pendingMutations()).toEqual([]);
    expect(titles(tasks)).toEqual(['ship', 'write', 'review', 'other']);
  });
});

describe('settlement when the reply lists nothing to wait for', () => {
  let client: ArcanaClient | undefined;
  afterEach(() => client?.close());

  it('over HTTP, an optimistic delete of a row someone else deleted first waits for a re-read of the view', async () => {
    const w = world();
    client = w.client;
    w.transport.ordered = false;
    w.transport.mutateReplyFirst = true;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const shown = record(tasks);

    w.transport.dropPushes = true; // another client's delete: its pushes have not reached us
    w.server.db.tasks.delete('t3');
    w.server.publishChanges();
    w.transport.dropPushes = false;
    const done = w.client.mutate('delete_task', { id: 't3' }, { optimistic: (tx) => tx.delete('tasks', 't3') });
    w.transport.deliverOne(); // the reply: no view or row changed
    await done;
    expect(w.client.pendingMutations().map((m) => m.state)).toEqual(['applying']);
    expect(titles(tasks)).toEqual(['write']);
    await settle(w.transport, w.timers);

    expect(w.transport.requests.slice(-2)).toEqual(['mutate', 'sync']);
    expect(w.client.pendingMutations()).toEqual([]);
    expect(shown.every((state) => !state.includes('review'))).toBe(true); // never shown again
  });
});

describe('MutationQueue', () => {
  it('drops overlays oldest first, as a prefix: a later one shown waits for the earlier', async () => {
    const { MutationQueue } = await import('../src/mutations/mutation-queue.js');
    const shownIds = new Set<string>();
    const changes: string[][] = [];
    const replies: Array<() => void> = [];
    const queue = new MutationQueue({
      send: (request) => new Promise((resolve) => replies.push(() => resolve({ data: null, mutation_id: request.mutation_id, views: [], rows: [], replayed: false }))),
      isOpen: () => true,
      awaitEffects: (reply) => ({ views: [], rows: [], reread: [reply.mutation_id], replyAt: 0 }),
      effectsShown: (effects) => shownIds.has(effects.reread[0]),
      changed: (ops) => changes.push(ops.map((op) => (op as { id: string }).id)),
      step: (run) => { run(); queue.dropShown(); },
      timers: new ManualTimers(),
    });
    void queue.enqueue('a', 'add', {}, [{ op: 'put', table: 't', id: 'x', row: {} }]);
    void queue.enqueue('b', 'delete', {}, [{ op: 'delete', table: 't', id: 'x' }]);
    replies.shift()!();
    await Promise.resolve();
    replies.shift()!();
    await Promise.resolve();
    expect(queue.pending().map((m) => m.state)).toEqual(['applying', 'applying']);

    shownIds.add('b');
    queue.dropShown();
    expect(queue.pending().map((m) => m.id)).toEqual(['a', 'b']); // b's delete still hides a's put
    shownIds.add('a');
    queue.dropShown();
    expect(queue.pending()).toEqual([]);
    expect(changes.at(-1)).toEqual(['x', 'x']); // both dropped in one change
  });
});

describe('offline queue', () => {
  let client: ArcanaClient | undefined;
  afterEach(() => client?.close());

  it('holds mutations made while offline and sends them in order after the reconnect', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    w.transport.cut();

    const first = w.client.mutate('add_task', { id: 'n1', title: 'one', position: 3 }, addTask('n1', 'one', 3));
    const second = w.client.mutate('rename_task', { id: 'n1', title: 'one!' }, { optimistic: (tx) => tx.update('tasks', 'n1', { title: 'one!' }) });
    expect(titles(tasks)).toEqual(['write', 'review', 'one!']);
    expect(w.transport.mutateRequests).toEqual([]);
    await settle(w.transport, w.timers);

    expect(await first).toEqual({ id: 'n1' });
    expect(await second).toBeNull();
    expect(w.server.ranInOrder).toEqual(w.transport.mutateRequests.map((r) => r.mutation_id));
    expect(titles(tasks)).toEqual(['write', 'review', 'one!']);
  });

  it('re-sends a mutation whose reply was lost with the same id: it runs once, the reply is replayed', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);

    const done = w.client.mutate('toggle_done', { id: 't2' }, { optimistic: (tx) => tx.update('tasks', 't2', { done: true }) });
    expect(w.transport.mutateRequests).toHaveLength(1); // the server ran it at once; reply queued
    w.transport.cut(); // reply lost
    expect(tasks.data[0].done).toBe(true); // the overlay stays meanwhile
    await settle(w.transport, w.timers);

    expect(await done).toBe(true);
    const [sent, resent] = w.transport.mutateRequests;
    expect(resent.mutation_id).toBe(sent.mutation_id);
    expect(w.server.runs.get(sent.mutation_id)).toBe(1);
    expect(w.server.db.tasks.get('t2')!.done).toBe(true);
    expect(tasks.data[0].done).toBe(true);
    // the replayed reply's row ver was never seen (its table_diff was lost): the view was read again
    expect(w.client.pendingMutations()).toEqual([]);
    expect(w.transport.requests.slice(-3)).toEqual(['sync', 'mutate', 'sync']);
  });

  it('retries internal, too_many_requests and not_ready with backoff (same id), and not a final error', async () => {
    const w = world();
    client = w.client;
    await settle(w.transport);
    w.server.refuseNext.push('not_ready', 'too_many_requests', 'internal');

    const done = w.client.mutate('toggle_done', { id: 't2' });
    for (let i = 0; i < 3; i++) {
      await settle(w.transport);
      expect(w.client.pendingMutations().map((m) => m.state)).toEqual(['retry_wait']);
      w.timers.fireAll();
    }
    await settle(w.transport);
    expect(await done).toBe(true);
    expect(new Set(w.transport.mutateRequests.map((r) => r.mutation_id)).size).toBe(1);
    expect(w.transport.mutateRequests).toHaveLength(4);

    const final = w.client.mutate('rename_task', { id: 'nope', title: 'x' }).catch((e: unknown) => e);
    await settle(w.transport);
    expect(await final).toMatchObject({ code: 'not_found' });
    expect(w.transport.mutateRequests).toHaveLength(5);
  });

  it('persists the queue with its overlays: after a reload they show at once and are sent with their ids', async () => {
    const persistence = new MemoryPersistence();
    const before = world({ persistence });
    const tasks = before.client.subscribe('task_list', {});
    await settle(before.transport);
    before.transport.cut();
    void before.client.mutate('add_task', { id: 'n1', title: 'offline', position: 7 }, addTask('n1', 'offline', 7)).catch(() => undefined);
    const id = before.client.pendingMutations()[0].id;
    expect(titles(tasks)).toEqual(['write', 'review', 'offline']);
    before.client.close();
    await Promise.resolve();
    expect((await persistence.load())?.mutations).toEqual([expect.objectContaining({ id, action: 'add_task', params: { id: 'n1', title: 'offline', position: 7 } })]);

    // the reloaded page, before it connects
    const after = world({ persistence, server: before.server });
    client = after.client;
    const reloaded = after.client.subscribe('task_list', {});
    await after.client.ready;
    expect(titles(reloaded)).toEqual(['write', 'review', 'offline']);
    expect(after.client.pendingMutations()).toEqual([{ id, action: 'add_task', state: 'queued' }]);

    await settle(after.transport, after.timers);
    expect(after.transport.mutateRequests.map((r) => r.mutation_id)).toEqual([id]);
    expect(after.server.runs.get(id)).toBe(1);
    expect(after.client.pendingMutations()).toEqual([]);
    expect(titles(reloaded)).toEqual(['write', 'review', 'offline']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    after.timers.fireAll(); // the debounced save
    await Promise.resolve();
    expect((await persistence.load())?.mutations).toEqual([]);
  });

  it('persists an answered mutation still waiting for its effects: after a reload its overlay stays until the views are read', async () => {
    const persistence = new MemoryPersistence();
    const before = world({ persistence });
    before.transport.ordered = false;
    before.transport.mutateReplyFirst = true;
    const tasks = before.client.subscribe('task_list', {});
    await settle(before.transport);
    before.transport.dropPushes = true; // the effects never arrive on this page
    const done = before.client.mutate('rename_task', { id: 't2', title: 'renamed' }, { optimistic: (tx) => tx.update('tasks', 't2', { title: 'renamed' }) });
    await settle(before.transport);
    await done;
    expect(before.client.pendingMutations().map((m) => m.state)).toEqual(['applying']);
    expect(titles(tasks)).toEqual(['renamed', 'review']);
    before.timers.fireAll(); // the debounced save
    await Promise.resolve();
    before.client.close();
    expect((await persistence.load())?.mutations).toEqual([expect.objectContaining({ action: 'rename_task', effects: expect.objectContaining({ rows: [{ table: 'tasks', id: 't2', ver: 2 }] }) })]);

    const after = world({ persistence, server: before.server });
    client = after.client;
    const reloaded = after.client.subscribe('task_list', {});
    await after.client.ready;
    expect(titles(reloaded)).toEqual(['renamed', 'review']); // the persisted row is the old one: the overlay shows the edit
    expect(after.client.store.get('tasks', 't2')?.title).toBe('write');
    await settle(after.transport, after.timers);
    expect(after.transport.mutateRequests).toEqual([]); // answered before the reload: not sent again
    expect(after.client.pendingMutations()).toEqual([]);
    expect(titles(reloaded)).toEqual(['renamed', 'review']);
  });
});
