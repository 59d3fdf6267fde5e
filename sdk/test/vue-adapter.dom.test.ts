/**
 * The Vue adapter in components mounted by Vue's runtime (createApp) in a DOM (jsdom), driven by a
 * client on the model server. Components are written with render functions (no SFC compiler).
 */
import { createApp, defineComponent, effectScope, h, nextTick, ref, type App, type PropType } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { ArcanaClient } from '../src/client.js';
import { useMutation, useRow, useStatus, useView } from '../src/vue/index.js';
import { ModelServer } from './support/model-server.js';
import { ModelTransport, settle } from './support/model-transport.js';

const apps: App[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.unmount();
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
  const settled = async () => {
    await settle(transport);
    await nextTick();
  };
  return { server, transport, client, target, settled };
}

function mount(component: Parameters<typeof createApp>[0], props: Record<string, unknown>, target: HTMLElement): App {
  const app = createApp(component, props);
  app.mount(target);
  apps.push(app);
  return app;
}

const items = (target: HTMLElement) => [...target.querySelectorAll('li')].map((li) => li.textContent);
const text = (target: HTMLElement, selector: string) => target.querySelector(selector)?.textContent;
const subscribes = (transport: ModelTransport) => transport.requests.filter((r) => r === 'subscribe').length;

const TaskList = defineComponent({
  props: {
    client: { type: Object as PropType<ArcanaClient>, required: true },
    params: { type: Object as PropType<{ value: Record<string, unknown> }>, default: undefined },
    renders: { type: Object as PropType<{ count: number }>, default: undefined },
  },
  setup(props) {
    const { data, total, status } = useView(props.client, 'task_list', () => props.params?.value ?? {});
    const connection = useStatus(props.client);
    return () => {
      if (props.renders) props.renders.count++;
      return h('div', [
        h('p', { class: 'status' }, `${connection.value}/${status.value}`),
        h('p', { class: 'total' }, String(total.value ?? '')),
        h('ul', data.value.map((task) => h('li', { key: String(task.id) },
          `${String(task.title)}${task.assignee ? ` (${(task.assignee as { name: string }).name})` : ''}`))),
      ]);
    };
  },
});

describe('useView() and useStatus() in Vue components', () => {
  it('renders the live view and re-renders when the server pushes, a bounded number of times', async () => {
    const { server, transport, client, target, settled } = setUp();
    const renders = { count: 0 };
    mount(TaskList, { client, renders }, target);
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
    expect(renders.count).toBeLessThan(10);
    const before = renders.count;
    await settled();
    expect(renders.count).toBe(before);
    expect(subscribes(transport)).toBe(1);
    client.close();
  });

  it('keeps the subscription for equal params in a new object, re-subscribes once for other values', async () => {
    const { transport, client, target, settled } = setUp();
    const params = ref<Record<string, unknown>>({ done: false });
    mount(TaskList, { client, params }, target);
    await settled();
    expect(items(target)).toEqual(['write (Ada)']);

    params.value = { done: false }; // a new object, equal values
    await settled();
    expect(subscribes(transport)).toBe(1);

    params.value.done = true; // a deep change
    await settled();
    expect(items(target)).toEqual(['review']);
    expect(transport.requests).toEqual(['subscribe', 'unsubscribe', 'subscribe']);
    expect(client.views().map((v) => v.params)).toEqual([{ done: true }]);
    client.close();
  });

  it('unsubscribes when the component unmounts', async () => {
    const { transport, client, server, target, settled } = setUp();
    const app = mount(TaskList, { client }, target);
    await settled();
    expect(server.active()).toHaveLength(1);

    app.unmount();
    apps.splice(apps.indexOf(app), 1);
    await settled();
    expect(transport.requests).toEqual(['subscribe', 'unsubscribe']);
    expect(client.views()).toEqual([]);
    expect(server.active()).toEqual([]);
    expect(client.store.size()).toBe(0);
    client.close();
  });
});

describe('useView() outside a component', () => {
  it('lives in an effect scope and ends with it', async () => {
    const { transport, client, settled } = setUp();
    const scope = effectScope();
    const tasks = scope.run(() => useView(client, 'task_list', { done: true }))!;
    await settled();
    expect(tasks.data.value.map((task) => task.title)).toEqual(['review']);
    expect(tasks.snapshot.value).toMatchObject({ status: 'live', total: 1 });

    scope.stop();
    await settled();
    expect(transport.requests).toEqual(['subscribe', 'unsubscribe']);
    expect(client.views()).toEqual([]);
    client.close();
  });
});

const AddTask = defineComponent({
  props: { client: { type: Object as PropType<ArcanaClient>, required: true } },
  setup(props) {
    const { data } = useView(props.client, 'task_list');
    const { mutate, pending, error } = useMutation(props.client, 'add_task', {
      optimistic: (tx, params) => {
        tx.put('tasks', String(params.id), { id: String(params.id), title: String(params.title), done: false, assignee_id: null, position: 9 });
        tx.view('task_list').insert('tasks', String(params.id));
      },
    });
    return () => h('div', [
      h('button', { onClick: () => mutate({ id: 'n1', title: 'new 1', position: 9 }).catch(() => undefined) }, 'add'),
      h('p', { class: 'state' }, `${pending.value ? 'pending' : 'idle'}${error.value ? ` ${error.value.code}/${error.value.reason}` : ''}`),
      h('ul', data.value.map((task) => h('li', { key: String(task.id) }, String(task.title)))),
    ]);
  },
});

describe('useMutation() in a Vue component', () => {
  it('shows the optimistic row at once, pending until the server answers', async () => {
    const { server, client, target, settled } = setUp();
    mount(AddTask, { client }, target);
    await settled();
    expect(items(target)).toEqual(['write', 'review']);

    target.querySelector('button')!.click();
    await nextTick();
    expect(items(target)).toEqual(['write', 'review', 'new 1']);
    expect(text(target, '.state')).toBe('pending');

    await settled();
    expect(text(target, '.state')).toBe('idle');
    expect(items(target)).toEqual(['write', 'review', 'new 1']);
    expect(server.db.tasks.get('n1')).toMatchObject({ title: 'new 1' });
    client.close();
  });

  it('rolls back and shows the error (code and reason) when the server refuses', async () => {
    const { server, client, target, settled } = setUp();
    mount(AddTask, { client }, target);
    await settled();
    server.rejectRate = 1;

    target.querySelector('button')!.click();
    await nextTick();
    expect(items(target)).toEqual(['write', 'review', 'new 1']);
    await settled();
    expect(text(target, '.state')).toBe('idle conflict/title_taken');
    expect(items(target)).toEqual(['write', 'review']);
    client.close();
  });
});

describe('useRow() in a Vue component', () => {
  const TaskTitle = defineComponent({
    props: {
      client: { type: Object as PropType<ArcanaClient>, required: true },
      id: { type: Object as PropType<{ value: string }>, required: true },
      renders: { type: Object as PropType<{ count: number }>, required: true },
    },
    setup(props) {
      const task = useRow(props.client, 'tasks', () => props.id.value);
      return () => {
        props.renders.count++;
        return h('p', { class: 'title' }, task.value ? String(task.value.title) : '(none)');
      };
    },
  });

  it('updates when its row changes, not when other rows do, follows a new id and stops with the component', async () => {
    const { server, client, target, settled } = setUp();
    const view = client.subscribe('task_list');
    await settled();
    const id = ref('t2');
    const renders = { count: 0 };
    const app = mount(TaskTitle, { client, id, renders }, target);
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

    id.value = 't3';
    await nextTick();
    await nextTick();
    expect(text(target, '.title')).toBe('other');

    app.unmount();
    apps.splice(apps.indexOf(app), 1);
    const seen: unknown[] = [];
    const stop = client.watchRow('tasks', 't3', (row) => seen.push(row));
    server.db.tasks.get('t3')!.title = 'after unmount';
    server.publishChanges();
    await settled();
    expect(seen).toHaveLength(1); // only the test's own watcher is left
    stop();
    view.unsubscribe();
    client.close();
  });
});
