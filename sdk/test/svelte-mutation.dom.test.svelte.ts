/** The Svelte 5 mutation() helper in a real component (AddTask.svelte), on the model server. */
import { flushSync, mount, unmount } from 'svelte';
import { describe, expect, it } from 'vitest';
import { ArcanaClient } from '../src/client.js';
import AddTask from './fixtures/AddTask.svelte';
import { ModelServer } from './support/model-server.js';
import { ModelTransport, settle } from './support/model-transport.js';

function setUp() {
  const server = new ModelServer({ random: () => 0.9 });
  server.addTask('write', null, 0);
  const transport = new ModelTransport(server);
  const client = new ArcanaClient({ transport });
  const target = document.createElement('div');
  document.body.append(target);
  const component = mount(AddTask, { target, props: { client } });
  return { server, transport, client, target, component };
}

const items = (target: HTMLElement) => [...target.querySelectorAll('li')].map((li) => li.textContent);
const state = (target: HTMLElement) => target.querySelector('.state')?.textContent;

describe('mutation() in a Svelte 5 component', () => {
  it('shows the optimistic row at once, pending until the server answers', async () => {
    const { server, transport, client, target, component } = setUp();
    await settle(transport);
    flushSync();
    expect(items(target)).toEqual(['write']);

    target.querySelector('button')!.click();
    flushSync();
    expect(items(target)).toEqual(['write', 'new 1']);
    expect(state(target)).toBe('pending');

    await settle(transport);
    flushSync();
    expect(state(target)).toBe('idle');
    expect(items(target)).toEqual(['write', 'new 1']);
    expect(server.db.tasks.get('n1')).toMatchObject({ title: 'new 1' });
    unmount(component);
    client.close();
  });

  it('rolls back and shows the error (code and reason) when the server refuses', async () => {
    const { server, transport, client, target, component } = setUp();
    await settle(transport);
    server.rejectRate = 1;

    target.querySelector('button')!.click();
    flushSync();
    expect(items(target)).toEqual(['write', 'new 1']);
    await settle(transport);
    flushSync();
    expect(state(target)).toBe('idle conflict/title_taken');
    expect(items(target)).toEqual(['write']);

    server.rejectRate = 0;
    target.querySelector('button')!.click();
    flushSync();
    expect(state(target)).toBe('pending'); // a new run clears the error
    unmount(component);
    client.close();
  });
});
