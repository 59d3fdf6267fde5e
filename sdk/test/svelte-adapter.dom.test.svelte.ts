/**
 * The Svelte 5 adapter in a real component: TaskList.svelte is compiled by the Svelte compiler
 * (through vite-plugin-svelte, as in an app), mounted in a DOM, driven by a client on the model server.
 */
import { flushSync, mount, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { ArcanaClient } from '../src/client.js';
import TaskList from './fixtures/TaskList.svelte';
import { ModelServer } from './support/model-server.js';
import { ModelTransport, settle } from './support/model-transport.js';

function setUp() {
  const server = new ModelServer({ random: () => 0.9 });
  const ada = server.addUser('Ada');
  server.addTask('write', ada, 0);
  server.addTask('review', null, 1, true);
  const transport = new ModelTransport(server);
  const client = new ArcanaClient({ transport });
  const target = document.createElement('div');
  document.body.append(target);
  return { server, transport, client, target };
}

const items = (target: HTMLElement) => [...target.querySelectorAll('li')].map((li) => li.textContent);

describe('view() in a Svelte 5 component', () => {
  it('renders the live view and updates when the server pushes', async () => {
    const { server, transport, client, target } = setUp();
    const component = mount(TaskList, { target, props: { client } });
    flushSync();
    expect(target.querySelector('.status')?.textContent).toBe('connecting/loading');

    await settle(transport);
    flushSync();
    expect(items(target)).toEqual(['write (Ada)', 'review']);
    expect(target.querySelector('.status')?.textContent).toBe('live/live');
    expect(target.querySelector('.total')?.textContent).toBe('2');

    server.addTask('ship', null, 2);
    server.db.users.get('u1')!.name = 'Ada L.';
    server.publishChanges();
    await settle(transport);
    flushSync();
    expect(items(target)).toEqual(['write (Ada L.)', 'review', 'ship']);

    unmount(component);
    client.close();
  });

  it('re-subscribes when the params change, and unsubscribes when the component goes', async () => {
    const { transport, client, target } = setUp();
    const props = $state({ client, done: undefined as boolean | undefined });
    const component = mount(TaskList, { target, props });
    flushSync();
    await settle(transport);
    flushSync();
    expect(items(target)).toEqual(['write (Ada)', 'review']);

    props.done = true;
    flushSync();
    await settle(transport);
    flushSync();
    expect(items(target)).toEqual(['review']);
    expect(transport.requests).toEqual(['subscribe', 'unsubscribe', 'subscribe']);
    expect(client.views().map((v) => v.params)).toEqual([{ done: true }]);

    unmount(component);
    flushSync();
    await settle(transport);
    expect(transport.requests.at(-1)).toBe('unsubscribe');
    expect(client.views()).toEqual([]);
    expect(client.store.size()).toBe(0);
    client.close();
  });
});
