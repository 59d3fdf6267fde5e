/**
 * The React adapter rendered by react-dom in a DOM (jsdom), driven by a client on the model server.
 * Components are written with createElement (no JSX build step).
 */
import { act, createElement as h, StrictMode, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { ArcanaClient } from '../src/client.js';
import { useMutation, useRow, useStatus, useView } from '../src/react/index.js';
import { ModelServer } from './support/model-server.js';
import { ModelTransport, settle } from './support/model-transport.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const roots: Root[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) act(() => root.unmount());
});

function setUp() {
  const server = new ModelServer({ random: () => 0.9 });
  const ada = server.addUser('Ada');
  server.addTask('write', ada, 0);
  server.addTask('review', null, 1, true);
  const transport = new ModelTransport(server);
  const client = new ArcanaClient({ transport });
  const target = document.createElement('div');
  document.body.append(target);
  const root = createRoot(target);
  roots.push(root);
  const render = (node: ReactNode) => act(() => root.render(node));
  const settled = () => act(() => settle(transport));
  return { server, transport, client, target, root, render, settled };
}

const items = (target: HTMLElement) => [...target.querySelectorAll('li')].map((li) => li.textContent);
const text = (target: HTMLElement, selector: string) => target.querySelector(selector)?.textContent;
const subscribes = (transport: ModelTransport) => transport.requests.filter((r) => r === 'subscribe').length;

interface TaskListProps { client: ArcanaClient; params?: Record<string, unknown>; renders?: { count: number } }

function TaskList({ client, params, renders }: TaskListProps) {
  const tasks = useView(client, 'task_list', params);
  const status = useStatus(client);
  if (renders) renders.count++;
  return h('div', null,
    h('p', { className: 'status' }, `${status}/${tasks.status}`),
    h('p', { className: 'total' }, String(tasks.total ?? '')),
    h('ul', null, tasks.data.map((task) => h('li', { key: String(task.id) },
      `${String(task.title)}${task.assignee ? ` (${(task.assignee as { name: string }).name})` : ''}`))));
}

describe('useView() and useStatus() rendered by react-dom', () => {
  it('renders the live view and re-renders when the server pushes, a bounded number of times', async () => {
    const { server, transport, client, target, render, settled } = setUp();
    const renders = { count: 0 };
    await render(h(TaskList, { client, renders }));
    expect(text(target, '.status')).toBe('connecting/loading');

    await settled();
    expect(items(target)).toEqual(['write (Ada)', 'review']);
    expect(text(target, '.status')).toBe('live/live');
    expect(text(target, '.total')).toBe('2');

    server.addTask('ship', null, 2);
    server.db.users.get('u1')!.name = 'Ada L.';
    server.publishChanges();
    await settled();
    expect(items(target)).toEqual(['write (Ada L.)', 'review', 'ship']);
    // a stable snapshot: one render per change (status, data...), never a render loop
    expect(renders.count).toBeLessThan(10);
    const before = renders.count;
    await settled();
    expect(renders.count).toBe(before);
    expect(subscribes(transport)).toBe(1);
    act(() => client.close());
  });

  it('keeps the subscription for equal params in a new object, re-subscribes once for other values', async () => {
    const { transport, client, target, render, settled } = setUp();
    await render(h(TaskList, { client, params: { done: false } }));
    await settled();
    expect(items(target)).toEqual(['write (Ada)']);

    await render(h(TaskList, { client, params: { done: false } })); // a new object, equal values
    await settled();
    expect(subscribes(transport)).toBe(1);

    await render(h(TaskList, { client, params: { done: true } }));
    await settled();
    expect(items(target)).toEqual(['review']);
    expect(subscribes(transport)).toBe(2);
    expect(transport.requests).toEqual(['subscribe', 'subscribe', 'unsubscribe']);
    expect(client.views().map((v) => v.params)).toEqual([{ done: true }]);
    act(() => client.close());
  });

  it('unsubscribes when the component unmounts', async () => {
    const { transport, client, server, root, render, settled } = setUp();
    await render(h(TaskList, { client }));
    await settled();
    expect(server.active()).toHaveLength(1);

    act(() => root.unmount());
    roots.splice(roots.indexOf(root), 1);
    await settled();
    expect(transport.requests).toEqual(['subscribe', 'unsubscribe']);
    expect(client.views()).toEqual([]);
    expect(server.active()).toEqual([]);
    expect(client.store.size()).toBe(0);
    act(() => client.close());
  });

  it('shows a view another component already holds on its first commit, sharing its subscription', async () => {
    const { transport, client, render, settled } = setUp();
    const second = document.createElement('div');
    document.body.append(second);
    await render(h(TaskList, { client }));
    await settled();
    const root = createRoot(second);
    roots.push(root);
    await act(() => root.render(h(TaskList, { client })));
    expect(items(second)).toEqual(['write (Ada)', 'review']);
    expect(text(second, '.status')).toBe('live/live');
    expect(transport.requests).toEqual(['subscribe']);
    act(() => client.close());
  });

  it('leaves exactly one subscription after StrictMode mounts twice', async () => {
    const { transport, client, server, target, render, settled } = setUp();
    await render(h(StrictMode, null, h(TaskList, { client })));
    await settled();
    expect(items(target)).toEqual(['write (Ada)', 'review']);
    expect(transport.requests).toEqual(['subscribe']);
    expect(client.views()).toHaveLength(1);
    expect(server.active()).toHaveLength(1);

    server.addTask('ship', null, 2);
    server.publishChanges();
    await settled();
    expect(items(target)).toEqual(['write (Ada)', 'review', 'ship']);
    act(() => client.close());
  });
});

function AddTask({ client }: { client: ArcanaClient }) {
  const tasks = useView(client, 'task_list');
  const addTask = useMutation(client, 'add_task', {
    optimistic: (tx, params) => {
      tx.put('tasks', String(params.id), { id: String(params.id), title: String(params.title), done: false, assignee_id: null, position: 9 });
      tx.view('task_list').insert('tasks', String(params.id));
    },
  });
  return h('div', null,
    h('button', { onClick: () => addTask.mutate({ id: 'n1', title: 'new 1', position: 9 }).catch(() => undefined) }, 'add'),
    h('p', { className: 'state' }, `${addTask.pending ? 'pending' : 'idle'}${addTask.error ? ` ${addTask.error.code}/${addTask.error.reason}` : ''}`),
    h('ul', null, tasks.data.map((task) => h('li', { key: String(task.id) }, String(task.title)))));
}

describe('useMutation() rendered by react-dom', () => {
  it('shows the optimistic row at once, pending until the server answers', async () => {
    const { server, client, target, render, settled } = setUp();
    await render(h(AddTask, { client }));
    await settled();
    expect(items(target)).toEqual(['write', 'review']);

    act(() => target.querySelector('button')!.click());
    expect(items(target)).toEqual(['write', 'review', 'new 1']);
    expect(text(target, '.state')).toBe('pending');

    await settled();
    expect(text(target, '.state')).toBe('idle');
    expect(items(target)).toEqual(['write', 'review', 'new 1']);
    expect(server.db.tasks.get('n1')).toMatchObject({ title: 'new 1' });
    act(() => client.close());
  });

  it('rolls back and shows the error (code and reason) when the server refuses', async () => {
    const { server, client, target, render, settled } = setUp();
    await render(h(AddTask, { client }));
    await settled();
    server.rejectRate = 1;

    act(() => target.querySelector('button')!.click());
    expect(items(target)).toEqual(['write', 'review', 'new 1']);
    await settled();
    expect(text(target, '.state')).toBe('idle conflict/title_taken');
    expect(items(target)).toEqual(['write', 'review']);
    act(() => client.close());
  });
});

describe('useRow() rendered by react-dom', () => {
  function TaskTitle({ client, id, renders }: { client: ArcanaClient; id: string; renders: { count: number } }) {
    const task = useRow(client, 'tasks', id);
    renders.count++;
    return h('p', { className: 'title' }, task ? String(task.title) : '(none)');
  }

  it('re-renders when its row changes, not when other rows do, and follows a new id', async () => {
    const { server, transport, client, target, render, settled } = setUp();
    const view = client.subscribe('task_list'); // useRow reads what live views hold
    await settled();
    const renders = { count: 0 };
    await render(h(TaskTitle, { client, id: 't2', renders }));
    expect(text(target, '.title')).toBe('write');
    const afterMount = renders.count;

    server.db.tasks.get('t3')!.title = 'other';
    server.publishChanges();
    await settled();
    expect(renders.count).toBe(afterMount);

    server.db.tasks.get('t2')!.title = 'written';
    server.publishChanges();
    await settled();
    expect(text(target, '.title')).toBe('written');
    expect(renders.count).toBe(afterMount + 1);

    act(() => {
      void client.mutate('rename_task', { id: 't2', title: 'mine' }, { optimistic: (tx) => tx.update('tasks', 't2', { title: 'mine' }) })
        .catch(() => undefined); // never answered: the client closes first
    });
    expect(text(target, '.title')).toBe('mine');

    await render(h(TaskTitle, { client, id: 't3', renders }));
    expect(text(target, '.title')).toBe('other');
    await render(h(TaskTitle, { client, id: 'missing', renders }));
    expect(text(target, '.title')).toBe('(none)');
    expect(transport.requests.filter((r) => r === 'subscribe')).toHaveLength(1);
    view.unsubscribe();
    act(() => client.close());
  });
});
