import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../src/backoff.js';
import { ArcanaClient, type ConnectionStatus } from '../src/client.js';
import { IndexedDbPersistence, MemoryPersistence } from '../src/persistence.js';
import { ArcanaError, type Push, type SyncEntry, type SyncRequestView } from '../src/protocol.js';
import type { Transport, TransportEvents } from '../src/transport.js';
import { ModelServer } from './support/model-server.js';
import { ModelTransport, settle } from './support/model-transport.js';

function world() {
  const server = new ModelServer({ random: () => 0.9, snapshotThreshold: 3 }); // 0.9: diffs by moves
  const ada = server.addUser('Ada');
  const grace = server.addUser('Grace');
  const t1 = server.addTask('write', ada, 0);
  const t2 = server.addTask('review', grace, 1, true);
  const t3 = server.addTask('plan', null, 2);
  const transport = new ModelTransport(server);
  const errors: unknown[] = [];
  const client = new ArcanaClient({ transport, backoff: { baseMs: 0, maxMs: 0 }, onError: (e) => errors.push(e) });
  return { server, transport, client, errors, ada, grace, t1, t2, t3 };
}

const titles = (data: Array<Record<string, unknown>>) => data.map((row) => row.title);

describe('ArcanaClient', () => {
  let client: ArcanaClient | undefined;
  afterEach(() => client?.close());

  it('shows a view with its refs resolved to rows, nested refs included', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    const changes = vi.fn();
    tasks.onChange(changes);
    await settle(w.transport);
    await tasks.ready();

    expect(tasks.status).toBe('live');
    expect(tasks.version).toBe(1);
    expect(tasks.total).toBe(3);
    expect(tasks.data).toEqual([
      { id: w.t1, title: 'write', done: false, assignee_id: w.ada, position: 0, assignee: { id: w.ada, name: 'Ada' } },
      { id: w.t2, title: 'review', done: true, assignee_id: w.grace, position: 1, assignee: { id: w.grace, name: 'Grace' } },
      { id: w.t3, title: 'plan', done: false, assignee_id: null, position: 2 },
    ]);
    expect(changes).toHaveBeenCalled();
  });

  it('applies table_diffs to shared rows: every view showing the row changes', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    const users = w.client.subscribe('user_list', {});
    await settle(w.transport);

    w.server.db.users.get(w.ada)!.name = 'Ada L.';
    w.server.publishChanges();
    await settle(w.transport);

    expect(tasks.data[0].assignee).toEqual({ id: w.ada, name: 'Ada L.' });
    expect(users.data.map((u) => u.name)).toEqual(['Ada L.', 'Grace']);
  });

  it('detects a version gap and repairs it with sync (catch_up)', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);

    w.transport.dropPushes = true; // version 2 is lost
    w.server.addTask('lost', null, 3);
    w.server.publishChanges();
    w.transport.dropPushes = false;
    w.server.db.tasks.get(w.t1)!.title = 'write more';
    w.server.addTask('seen', null, 4); // version 3 arrives: the gap shows
    w.server.publishChanges();
    await settle(w.transport);

    expect(w.transport.requests).toContain('sync');
    expect(tasks.version).toBe(3);
    expect(titles(tasks.data)).toEqual(['write more', 'review', 'plan', 'lost', 'seen']);
  });

  it('applies a view_diff that overtook the subscribe reply (HTTP reply racing a publication)', async () => {
    const w = world();
    client = w.client;
    await settle(w.transport);
    const tasks = w.client.subscribe('task_list', {}); // the server answers at once; the reply is in flight
    await new Promise((resolve) => setImmediate(resolve));
    w.transport.overtake = true;
    w.server.addTask('overtaking', null, 3);
    w.server.publishChanges(); // view_diff version 2 arrives before the version 1 snapshot
    await settle(w.transport);

    expect(tasks.version).toBe(2);
    expect(titles(tasks.data)).toEqual(['write', 'review', 'plan', 'overtaking']);
    expect(w.transport.requests).toEqual(['subscribe']); // repaired without a sync
  });

  it('ignores a view_diff that is not newer than what it has', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const events: TransportEvents = (w.transport as unknown as { events: TransportEvents }).events;

    events.push({ type: 'view_diff', data: { view: 'task_list', params_hash: tasks.paramsHash!, version: 1, refs_patch: [{ op: 'remove', path: '/0' }] } });

    expect(tasks.data).toHaveLength(3);
    expect(w.transport.requests).not.toContain('sync');
  });

  it('repairs a refs patch that does not apply with sync instead of corrupting the view', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const events: TransportEvents = (w.transport as unknown as { events: TransportEvents }).events;

    events.push({ type: 'view_diff', data: { view: 'task_list', params_hash: tasks.paramsHash!, version: 2, refs_patch: [{ op: 'remove', path: '/7' }] } });
    await settle(w.transport);

    expect(w.errors.map((e) => (e as Error).name)).toEqual(['PatchError']);
    expect(w.transport.requests).toContain('sync');
    expect(titles(tasks.data)).toEqual(['write', 'review', 'plan']);
    expect(tasks.status).toBe('live');
  });

  it('honours resync: every view is synced, even without a visible gap', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    const users = w.client.subscribe('user_list', {});
    await settle(w.transport);

    w.transport.dropPushes = true; // the server's queue for us overflowed: the last change is lost
    w.server.db.tasks.get(w.t3)!.title = 'plan the offsite';
    w.server.addUser('Alan');
    w.server.publishChanges();
    w.transport.dropPushes = false;
    await settle(w.transport);
    expect(titles(tasks.data)).toContain('plan'); // nothing to notice yet
    w.transport.resync();
    await settle(w.transport);

    expect(titles(tasks.data)).toEqual(['write', 'review', 'plan the offsite']);
    expect(users.data.map((u) => u.name)).toEqual(['Ada', 'Alan', 'Grace']);
  });

  it('reconnects after the connection drops and catches up with what it missed', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const statuses: ConnectionStatus[] = [];
    w.client.onStatus((s) => statuses.push(s));

    w.transport.cut();
    expect(tasks.status).toBe('stale');
    w.server.db.tasks.get(w.t2)!.done = false; // changes while away
    w.server.addTask('while away', w.ada, 5);
    w.server.publishChanges();
    await settle(w.transport);

    expect(w.transport.connects).toBe(2);
    expect(statuses).toEqual(['offline', 'connecting', 'live']);
    expect(tasks.status).toBe('live');
    expect(tasks.data.map((t) => [t.title, t.done])).toEqual([['write', false], ['review', false], ['plan', false], ['while away', false]]);
    expect(tasks.version).toBe(w.server.versionOf(tasks.paramsHash!));
  });

  it('re-subscribes after a server restart lost its subscriptions', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    w.server.db.tasks.get(w.t1)!.title = 'changed during the restart';
    w.server.restart();
    w.transport.cut();
    await settle(w.transport);

    expect(tasks.status).toBe('live');
    expect(tasks.version).toBe(1); // a new subscription on the restarted server
    expect(titles(tasks.data)).toEqual(['changed during the restart', 'review', 'plan']);
    w.server.addTask('after restart', null, 9);
    w.server.publishChanges();
    await settle(w.transport);
    expect(titles(tasks.data)).toContain('after restart');
  });

  it('does not trust a catch-up whose patches stop short of its version: it subscribes afresh', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    w.transport.dropPushes = true;
    w.server.addTask('one', null, 3);
    w.server.publishChanges();
    w.server.addTask('two', null, 4);
    w.server.publishChanges();
    w.transport.dropPushes = false;
    const sync = w.transport.sync.bind(w.transport);
    w.transport.sync = async (views: SyncRequestView[]): Promise<SyncEntry[]> =>
      (await sync(views)).map((entry) => (entry.mode === 'catch_up' ? { ...entry, patches: entry.patches.slice(0, 1) } : entry));
    w.transport.resync();
    await settle(w.transport);

    expect(w.errors.map((e) => (e as Error).message)).toEqual(['catch-up ends at version 2, the server is at 3']);
    expect(w.transport.requests.slice(-2)).toEqual(['sync', 'subscribe']);
    expect(tasks.version).toBe(3);
    expect(titles(tasks.data)).toEqual(['write', 'review', 'plan', 'one', 'two']);
  });

  it('subscribes again when sync answers not_found', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const sync = w.transport.sync.bind(w.transport);
    w.transport.sync = (views: SyncRequestView[]): Promise<SyncEntry[]> => {
      w.server.restart();
      return sync(views.map(({ params: _params, ...view }) => view)); // a server without the params extension
    };
    w.transport.cut();
    await settle(w.transport);

    expect(w.transport.requests.slice(-2)).toEqual(['sync', 'subscribe']);
    expect(tasks.status).toBe('live');
    expect(titles(tasks.data)).toEqual(['write', 'review', 'plan']);
  });

  it('shares one server subscription between handles and ends it with the last one, dropping its rows', async () => {
    const w = world();
    client = w.client;
    const first = w.client.subscribe('user_list', {});
    const second = w.client.subscribe('user_list', {});
    const tasks = w.client.subscribe('task_list', { done: true });
    await settle(w.transport);
    expect(w.transport.requests.filter((r) => r === 'subscribe')).toHaveLength(2);
    expect(w.client.store.size()).toBe(3); // Ada, Grace, and the one done task

    first.unsubscribe();
    await settle(w.transport);
    expect(w.transport.requests).not.toContain('unsubscribe');
    expect(second.data).toHaveLength(2);

    second.unsubscribe();
    await settle(w.transport);
    expect(w.transport.requests).toContain('unsubscribe');
    expect(w.client.store.size()).toBe(2); // the done task and its assignee Grace
    expect(w.client.store.get('users', w.ada)).toBeUndefined();
    expect(tasks.data.map((t) => t.title)).toEqual(['review']);
  });

  it('drops a row the server deleted', async () => {
    const w = world();
    client = w.client;
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    w.server.db.tasks.delete(w.t2);
    w.server.publishChanges();
    await settle(w.transport);

    expect(titles(tasks.data)).toEqual(['write', 'plan']);
    expect(w.client.store.get('tasks', w.t2)).toBeUndefined();
    expect(w.client.store.get('users', w.grace)).toBeUndefined();
  });

  it('reports a view the server refuses as an error with its code', async () => {
    const w = world();
    client = w.client;
    const nope = w.client.subscribe('no_such_view' as string, {});
    const refused = expect(nope.ready()).rejects.toMatchObject({ code: 'not_found', message: 'unknown view no_such_view' });
    await settle(w.transport);

    expect(nope.status).toBe('error');
    await refused;
  });

  it('retries a subscribe the server could not answer yet (not_ready), and the view goes live', async () => {
    const w = world();
    client = w.client;
    const subscribe = w.transport.subscribe.bind(w.transport);
    let refusals = 2;
    w.transport.subscribe = (view, params) => (refusals-- > 0
      ? Promise.reject(new ArcanaError('not_ready', 'engine starting', 503))
      : subscribe(view, params));
    const tasks = w.client.subscribe('task_list', {});
    await vi.waitFor(async () => {
      await settle(w.transport);
      expect(tasks.status).toBe('live');
    });

    expect(refusals).toBe(-1);
    expect(tasks.data).toHaveLength(3);
    expect(tasks.error).toBeUndefined();
  });

  it('does not retry a refusal that cannot change (invalid_params)', async () => {
    const w = world();
    client = w.client;
    let attempts = 0;
    w.transport.subscribe = () => {
      attempts++;
      return Promise.reject(new ArcanaError('invalid_params', 'limit must be an integer', 400));
    };
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(tasks.status).toBe('error');
    expect(attempts).toBe(1);
  });

  it('shows persisted data at once, stale, then the current data once synced', async () => {
    const persistence = new MemoryPersistence();
    const w = world();
    w.client.close();
    w.server.db.tasks.get(w.t1)!.title = 'changed while the page was closed';

    // the page before the reload
    const saving = new ArcanaClient({ transport: new ModelTransport(w.server), persistence, persistDelayMs: 0 });
    const before = saving.subscribe('task_list', {});
    await settle((saving as unknown as { transport: ModelTransport }).transport);
    await new Promise((resolve) => setTimeout(resolve, 10));
    saving.close();
    expect((await persistence.load())?.views.map((v) => v.view)).toEqual(['task_list']);
    expect(before.status).toBe('live');

    // the reloaded page: the connection is not up yet
    w.server.db.tasks.get(w.t3)!.title = 'changed after the save';
    const idle = new ModelTransport(w.server);
    const connect = idle.connect.bind(idle);
    let letConnect: () => void = () => undefined;
    idle.connect = (events) => { letConnect = () => connect(events); };
    client = new ArcanaClient({ transport: idle, persistence, persistDelayMs: 0 });
    await client.ready;
    const reloaded = client.subscribe('task_list', {});
    expect(reloaded.status).toBe('stale');
    expect(titles(reloaded.data)).toEqual(['changed while the page was closed', 'review', 'plan']);

    letConnect();
    await settle(idle);
    expect(reloaded.status).toBe('live');
    expect(titles(reloaded.data)).toEqual(['changed while the page was closed', 'review', 'changed after the save']);
  });

  it('persists to IndexedDB', async () => {
    const store = new IndexedDbPersistence(`ada@acme-${Math.random()}`);
    expect(await store.load()).toBeUndefined();
    const state = { views: [{ view: 'v', params: { a: 1 }, paramsHash: 'h', version: 3, refs: [{ table: 't', id: '1' }] }], tables: { t: { 1: { id: '1' } } } };
    await store.save(state);
    expect(await new IndexedDbPersistence(store['key']).load()).toEqual(state);
  });

  it('reconnects with growing, jittered delays while the server is down', async () => {
    vi.useFakeTimers();
    try {
      const attempts: number[] = [];
      const down: Transport = {
        connect(events) {
          attempts.push(Date.now());
          queueMicrotask(() => events.close('refused'));
        },
        disconnect() {},
        subscribe: () => Promise.reject(new ArcanaError('disconnected', 'down')),
        unsubscribe: () => Promise.resolve(),
        sync: () => Promise.resolve([]),
      };
      client = new ArcanaClient({ transport: down, backoff: { baseMs: 100, maxMs: 1_000 }, random: () => 0.5 });
      await vi.advanceTimersByTimeAsync(5_000);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
      expect(gaps.slice(0, 6)).toEqual([75, 150, 300, 600, 750, 750]); // cap/2 + cap/2 * 0.5, cap doubling to 1000
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('backoffDelay', () => {
  it('stays within [cap/2, cap) and caps at maxMs', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const cap = Math.min(10_000, 250 * 2 ** attempt);
      expect(backoffDelay(attempt, {}, () => 0)).toBe(cap / 2);
      expect(backoffDelay(attempt, {}, () => 0.999999)).toBeLessThan(cap);
    }
  });
});

describe('pushes the client does not know', () => {
  it('are ignored', async () => {
    const w = world();
    const tasks = w.client.subscribe('task_list', {});
    await settle(w.transport);
    const events: TransportEvents = (w.transport as unknown as { events: TransportEvents }).events;
    events.push({ type: 'something_new', data: {} } as unknown as Push);
    events.push({ type: 'table_diff', data: { table: 'tasks', id: 'not-held', ver: 1, patch: [{ op: 'add', path: '/x', value: 1 }] } });
    expect(w.client.store.get('tasks', 'not-held')).toBeUndefined();
    expect(tasks.data).toHaveLength(3);
    w.client.close();
  });
});
