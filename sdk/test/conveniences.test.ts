/** client.getRow, getTable, watchRow and clearCache. */
import { describe, expect, it } from 'vitest';
import { ArcanaClient } from '../src/client.js';
import { MemoryPersistence } from '../src/persistence.js';
import { ModelServer } from './support/model-server.js';
import { ManualTimers, ModelTransport, settle } from './support/model-transport.js';

function world(persistence?: MemoryPersistence) {
  const server = new ModelServer({ random: () => 0.9 });
  const ada = server.addUser('Ada'); // u1
  server.addTask('write', ada, 0); // t2
  server.addTask('review', null, 1, true); // t3
  const transport = new ModelTransport(server);
  const timers = new ManualTimers();
  const client = new ArcanaClient({ transport, timers, persistence, persistDelayMs: 0 });
  return { server, transport, timers, client };
}

describe('getRow and getTable', () => {
  it('read the rows live views hold, as the views show them, pending mutations included', async () => {
    const { transport, client } = world();
    expect(client.getRow('tasks', 't2')).toBeUndefined();
    const view = client.subscribe('task_list');
    await settle(transport);
    expect(client.getRow('tasks', 't2')).toMatchObject({ id: 't2', title: 'write' });
    expect(client.getRow('users', 'u1')).toMatchObject({ name: 'Ada' });
    expect(client.getRow('tasks', 'nope')).toBeUndefined();
    expect([...client.getTable('tasks').keys()].sort()).toEqual(['t2', 't3']);
    expect(client.getTable('no_such_table').size).toBe(0);

    void client.mutate('rename_task', { id: 't2', title: 'draft' }, { optimistic: (tx) => tx.update('tasks', 't2', { title: 'draft' }) });
    void client.mutate('add_task', { id: 't9', title: 'new' }, { optimistic: (tx) => tx.put('tasks', 't9', { id: 't9', title: 'new' }) });
    void client.mutate('delete_task', { id: 't3' }, { optimistic: (tx) => tx.delete('tasks', 't3') });
    expect(client.getRow('tasks', 't2')).toMatchObject({ title: 'draft' });
    expect([...client.getTable('tasks').keys()].sort()).toEqual(['t2', 't9']);
    view.unsubscribe();
  });
});

describe('watchRow', () => {
  it('calls back once per step in which the row changed, not for other rows, and stops when told', async () => {
    const { server, transport, client } = world();
    client.subscribe('task_list');
    await settle(transport);
    const seen: Array<string | undefined> = [];
    const stop = client.watchRow('tasks', 't2', (row) => seen.push(row?.title as string | undefined));

    server.db.tasks.get('t3')!.title = 'other row';
    server.publishChanges();
    await settle(transport);
    expect(seen).toEqual([]);

    server.db.tasks.get('t2')!.title = 'first';
    server.publishChanges();
    await settle(transport);
    expect(seen).toEqual(['first']);

    void client.mutate('rename_task', { id: 't2', title: 'mine' }, { optimistic: (tx) => tx.update('tasks', 't2', { title: 'mine' }) });
    expect(seen).toEqual(['first', 'mine']);

    stop();
    server.db.tasks.get('t2')!.title = 'after stop';
    server.publishChanges();
    await settle(transport);
    expect(seen).toEqual(['first', 'mine']);
  });
});

describe('clearCache', () => {
  it('empties the saved views and rows but keeps pending mutations saved, and live views keep their data', async () => {
    const persistence = new MemoryPersistence();
    const { transport, timers, client } = world(persistence);
    const view = client.subscribe('task_list');
    await settle(transport);
    timers.fireAll();
    await settle(transport);
    expect((await persistence.load())!.views).toHaveLength(1);

    void client.mutate('rename_task', { id: 't2', title: 'unsent' }).catch(() => undefined);
    await client.clearCache();
    const saved = (await persistence.load())!;
    expect(saved.views).toEqual([]);
    expect(saved.tables).toEqual({});
    expect(saved.mutations!.map((m) => m.action)).toEqual(['rename_task']);
    expect(view.data.map((row) => row.title)).toEqual(['write', 'review']);
  });

  it('drops the rows kept for persisted views no subscribe has claimed yet', async () => {
    const persistence = new MemoryPersistence();
    const first = world(persistence);
    first.client.subscribe('task_list');
    await settle(first.transport);
    first.client.close();

    const second = world(persistence);
    await second.client.ready;
    expect(second.client.getRow('tasks', 't2')).toBeDefined(); // restorable until claimed
    await second.client.clearCache();
    expect(second.client.getRow('tasks', 't2')).toBeUndefined();
    expect((await persistence.load())!.views).toEqual([]);
  });
});
