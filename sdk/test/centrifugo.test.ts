/** Centrifugo mode: HTTP for subscribe/sync (a real HTTP server), pushes as publications (a fake centrifuge client). */
import type { Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ArcanaClient } from '../src/client.js';
import { ArcanaError } from '../src/protocol.js';
import { HttpApi } from '../src/transports/http.js';
import { CentrifugoTransport, channelsFor } from '../src/transports/centrifugo.js';
import { FakeCentrifuge } from './support/fake-centrifuge.js';
import { startHttp } from './support/http-server.js';
import { ModelServer } from './support/model-server.js';

const titles = (data: Array<Record<string, unknown>>) => data.map((row) => row.title);

describe('CentrifugoTransport', () => {
  let http: Server | undefined;
  let client: ArcanaClient | undefined;
  afterEach(async () => {
    client?.close();
    await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  });

  async function setUp(keepAliveMs?: number) {
    const model = new ModelServer({ random: () => 0.9 });
    model.addTask('write', model.addUser('Ada'), 0);
    const started = await startHttp(model);
    http = started.server;
    const centrifuge = new FakeCentrifuge();
    const channels = channelsFor({ workspace: 'acme', seance: 's1' });
    const published: string[] = [];
    // the server side of Centrifugo mode: table_diff to the workspace, view_diff/resync to the seance
    model.listener = (push) => {
      const channel = push.type === 'table_diff' ? channels[0] : channels[1];
      published.push(`${channel} ${push.type} ${centrifuge.publish(channel, push) ? 'delivered' : 'missed'}`);
    };
    const transport = new CentrifugoTransport({
      centrifuge: () => centrifuge,
      channels,
      http: { baseUrl: started.url, headers: () => ({ 'X-User-ID': 'ada' }) },
      keepAliveMs,
    });
    client = new ArcanaClient({ transport });
    return { model, centrifuge, requests: started.requests, published };
  }

  it('names the channels as the server does', () => {
    expect(channelsFor({ workspace: 'acme', seance: 's1' })).toEqual(['workspace:acme', 'views:s1']);
    expect(channelsFor({ workspace: 'w', seance: 's', workspaceNamespace: 'ws', viewsNamespace: 'v' })).toEqual(['ws:w', 'v:s']);
  });

  it('subscribes over HTTP and applies publications of both channels', async () => {
    const { model, requests, published } = await setUp();
    const tasks = client!.subscribe('task_list', {});
    await tasks.ready();
    expect(requests).toEqual(['POST subscribe ada']);

    model.addTask('ship', null, 1);
    model.db.tasks.get('t2')!.title = 'write more';
    model.publishChanges();

    await vi.waitFor(() => expect(titles(tasks.data)).toEqual(['write more', 'ship']));
    expect(published).toEqual(['workspace:acme table_diff delivered', 'views:s1 view_diff delivered']);
  });

  it('syncs after a channel was down: publications missed meanwhile are caught up', async () => {
    const { model, centrifuge, requests, published } = await setUp();
    const tasks = client!.subscribe('task_list', {});
    await tasks.ready();

    centrifuge.blip();
    expect(client!.status).toBe('offline');
    model.addTask('while down', null, 1);
    model.publishChanges();
    expect(published).toEqual(['views:s1 view_diff missed']);
    centrifuge.reconnected();

    await vi.waitFor(() => expect(titles(tasks.data)).toEqual(['write', 'while down']));
    expect(requests).toEqual(['POST subscribe ada', 'POST sync ada']);
    expect(client!.status).toBe('live');
  });

  it('keeps its seance with GET active while open, and stops when the connection is lost', async () => {
    const { centrifuge, requests } = await setUp(40);
    const tasks = client!.subscribe('task_list', {});
    await tasks.ready();

    await vi.waitFor(() => expect(requests.filter((r) => r === 'GET active ada').length).toBeGreaterThanOrEqual(2));
    centrifuge.blip();
    const whileDown = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150)); // three keep-alive periods without a connection
    // at most the one call that was already on its way when the connection dropped
    expect(requests.slice(whileDown).length).toBeLessThanOrEqual(1);
    centrifuge.reconnected();
    await vi.waitFor(() => expect(requests.slice(whileDown)).toContain('GET active ada'));
  });

  it('reports the HTTP error envelope as an ArcanaError with code and status', async () => {
    const model = new ModelServer();
    const started = await startHttp(model);
    http = started.server;
    const anonymous = new HttpApi({ baseUrl: started.url });
    const error = await anonymous.subscribe('task_list', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArcanaError);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, message: 'no identity' });
  });

  it('sends mutations over HTTP (POST mutate) and keeps the overlay until the publications bring the effects', async () => {
    const { model, requests } = await setUp();
    const tasks = client!.subscribe('task_list', {});
    await tasks.ready();

    const data = await client!.mutate('rename_task', { id: 't2', title: 'write more' }, { optimistic: (tx) => tx.update('tasks', 't2', { title: 'write more' }) });
    expect(data).toBeNull();
    expect(requests).toEqual(['POST subscribe ada', 'POST mutate ada']);
    expect(titles(tasks.data)).toEqual(['write more']);
    await vi.waitFor(() => expect(client!.pendingMutations()).toEqual([]));
    expect(client!.store.get('tasks', 't2')?.title).toBe('write more');

    model.rejectRate = 1;
    const refused = await client!.mutate('rename_task', { id: 't2', title: 'taken' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'conflict', status: 409, message: 'a task with this title exists', reason: 'title_taken' });
  });
});
