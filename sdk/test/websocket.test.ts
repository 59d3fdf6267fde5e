/** The WebSocket transport over real sockets (a `ws` server speaking Arcana's frames on the model server). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { ArcanaClient } from '../src/client.js';
import { ArcanaError } from '../src/protocol.js';
import { WebSocketTransport, type WebSocketFactory } from '../src/transports/websocket.js';
import { ModelServer } from './support/model-server.js';
import { ModelWsServer } from './support/ws-server.js';

const Ws = WebSocket as unknown as WebSocketFactory;
const titles = (data: Array<Record<string, unknown>>) => data.map((row) => row.title);

describe('WebSocketTransport', () => {
  let server: ModelWsServer;
  let client: ArcanaClient | undefined;
  afterEach(async () => {
    client?.close();
    await server?.stop();
  });

  async function setUp() {
    const model = new ModelServer({ random: () => 0.9 });
    const ada = model.addUser('Ada');
    model.addTask('write', ada, 0); // t2
    model.addTask('review', null, 1); // t3
    server = new ModelWsServer(model);
    await server.start();
    return model;
  }

  it('subscribes, then applies live view_diffs and table_diffs', async () => {
    const model = await setUp();
    client = new ArcanaClient({ transport: new WebSocketTransport({ url: server.url, WebSocket: Ws }) });
    const tasks = client.subscribe('task_list', {});
    await tasks.ready();
    expect(titles(tasks.data)).toEqual(['write', 'review']);

    model.addTask('ship', null, 2);
    model.db.tasks.get('t2')!.title = 'write more';
    model.publishChanges();

    await vi.waitFor(() => expect(titles(tasks.data)).toEqual(['write more', 'review', 'ship']), { timeout: 2_000 });
    expect(server.frames.map((f) => f.type)).toEqual(['subscribe']);
  });

  it('recovers by itself after the server restarts, and shows the current data', async () => {
    const model = await setUp();
    client = new ArcanaClient({
      transport: new WebSocketTransport({ url: () => server.url, WebSocket: Ws }),
      backoff: { baseMs: 20, maxMs: 200 },
    });
    const tasks = client.subscribe('task_list', {});
    await tasks.ready();
    const port = server.port;

    await server.stop();
    await vi.waitFor(() => expect(client!.status).not.toBe('live'), { timeout: 2_000 });
    expect(tasks.status).toBe('stale');
    model.addTask('added while down', null, 5);
    await server.start(port);

    await vi.waitFor(() => {
      expect(tasks.status).toBe('live');
      expect(titles(tasks.data)).toEqual(['write', 'review', 'added while down']);
    }, { timeout: 5_000 });
    expect(server.frames.at(-1)).toMatchObject({ type: 'sync', views: [{ view: 'task_list', version: 1, params: {} }] });
  });

  it('turns an error frame into an ArcanaError with the server code', async () => {
    await setUp();
    const transport = new WebSocketTransport({ url: server.url, WebSocket: Ws });
    await new Promise<void>((resolve) => transport.connect({ open: resolve, close: () => undefined, push: () => undefined }));
    const error = await transport.subscribe('no_such_view', {}).catch((e: unknown) => e);
    transport.disconnect();

    expect(error).toBeInstanceOf(ArcanaError);
    expect(error).toMatchObject({ code: 'not_found', message: 'unknown view no_such_view' });
  });

  it('sends the auth frame first when given a token, and opens only once it is accepted', async () => {
    await setUp();
    const transport = new WebSocketTransport({ url: server.url, WebSocket: Ws, token: () => 'good' });
    await new Promise<void>((resolve) => transport.connect({ open: resolve, close: () => undefined, push: () => undefined }));
    transport.disconnect();
    expect(server.frames[0]).toMatchObject({ type: 'auth', token: 'good' });
  });

  it('drops a connection that stops answering (half-open) and reconnects', async () => {
    await setUp();
    const closes: string[] = [];
    let opens = 0;
    const transport = new WebSocketTransport({ url: server.url, WebSocket: Ws, pingIntervalMs: 50, requestTimeoutMs: 100 });
    const events = { open: () => { opens++; }, close: (reason?: string) => { closes.push(String(reason)); }, push: () => undefined };
    transport.connect(events);
    await vi.waitFor(() => expect(opens).toBe(1));
    server.silent = true;

    await vi.waitFor(() => expect(closes).toEqual(['request timed out']), { timeout: 2_000 });
    server.silent = false;
    transport.connect(events);
    await vi.waitFor(() => expect(opens).toBe(2), { timeout: 2_000 });
    transport.disconnect();
  });

  it('sends mutate frames and settles at mutate_ok, which follows the mutation diffs', async () => {
    const model = await setUp();
    client = new ArcanaClient({ transport: new WebSocketTransport({ url: server.url, WebSocket: Ws }) });
    const tasks = client.subscribe('task_list', {});
    await tasks.ready();

    const data = await client.mutate('add_task', { id: 'n1', title: 'ship', position: 2 }, {
      optimistic: (tx) => {
        tx.put('tasks', 'n1', { id: 'n1', title: 'ship', done: false, assignee_id: null, position: 2 });
        tx.view('task_list').insert('tasks', 'n1');
      },
    });
    expect(data).toEqual({ id: 'n1' });
    expect(client.pendingMutations()).toEqual([]); // the diffs came first: nothing left to wait for
    expect(titles(tasks.data)).toEqual(['write', 'review', 'ship']);
    expect(server.frames.at(-1)).toMatchObject({ type: 'mutate', action: 'add_task', params: { id: 'n1', title: 'ship', position: 2 } });
    expect(String(server.frames.at(-1)!.mutation_id)).toMatch(/^[A-Za-z0-9]+:1$/);

    model.rejectRate = 1;
    const refused = await client.mutate('rename_task', { id: 'n1', title: 'taken' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ArcanaError);
    expect(refused).toMatchObject({ code: 'conflict', message: 'a task with this title exists', reason: 'title_taken' });
  });
});
