/**
 * Generated test: for 1,000 random cases (seeded, reproducible), a client that receives a random
 * sequence of server messages — with dropped pushes, resyncs, cut connections, server restarts,
 * re-subscriptions and interleaved in-flight replies — ends up showing exactly the server's fresh
 * snapshot of every view it holds, with the server's version, and holds no row that no view references.
 *
 * Reproduce a case: CASES=1 FIRST_SEED=<seed> npx vitest run test/convergence.test.ts (TRACE=1 prints its messages).
 */
import { describe, expect, it } from 'vitest';
import { ArcanaClient } from '../src/client.js';
import { collectRowKeys } from '../src/store.js';
import type { ViewHandle } from '../src/view.js';
import { ModelServer, seeded } from './support/model-server.js';
import { ManualTimers, ModelTransport, settle } from './support/model-transport.js';

const CASES = Number(process.env.CASES ?? 1_000);
const FIRST = Number(process.env.FIRST_SEED ?? 1);
const VIEWS: Array<[string, Record<string, unknown>]> = [
  ['task_list', {}],
  ['task_list', { done: true }],
  ['task_list', { done: false }],
  ['task_list', { limit: 3 }],
  ['user_list', {}],
];

async function runCase(seed: number): Promise<{ messages: number }> {
  const random = seeded(seed);
  const server = new ModelServer({ random, snapshotThreshold: 1 + Math.floor(random() * 6) });
  for (const name of ['Ada', 'Grace', 'Alan']) server.addUser(name);
  for (let i = 0; i < 5; i++) server.addTask(`task ${i}`, random() < 0.7 ? `u${1 + (i % 3)}` : null, i, i % 2 === 0);
  const transport = new ModelTransport(server);
  const errors: unknown[] = [];
  const timers = new ManualTimers();
  const client = new ArcanaClient({ transport, timers, random, onError: (e) => errors.push(e) });
  const handles = new Map<number, ViewHandle>();
  const pickView = () => Math.floor(random() * VIEWS.length);
  const open = (index: number) => {
    if (!handles.has(index)) handles.set(index, client.subscribe(VIEWS[index][0], VIEWS[index][1]));
  };
  open(pickView());
  if (random() < 0.6) open(pickView());
  if (random() < 0.3) open(pickView());
  await settle(transport, timers);

  // in a third of the cases pushes may overtake replies, as Centrifugo publications can overtake HTTP replies
  const overtakes = random() < 0.33;
  transport.ordered = !overtakes;
  let owesResync = false;
  let messages = 0;
  const steps = 10 + Math.floor(random() * 20);
  for (let step = 0; step < steps; step++) {
    const action = random();
    transport.overtake = overtakes && random() < 0.5;
    if (process.env.TRACE) console.log('step', step, action.toFixed(3), JSON.stringify([...server.db.users.values()]));
    if (action < 0.6) {
      server.randomWrite();
    } else if (action < 0.68) {
      transport.dropPushes = true; // the server's queue overflows for this client
      server.randomWrite();
      transport.dropPushes = false;
      owesResync = true;
    } else if (action < 0.74 && owesResync) {
      transport.resync();
      owesResync = false;
    } else if (action < 0.8) {
      transport.cut();
      owesResync = false; // the reconnect syncs everything
    } else if (action < 0.84) {
      server.restart();
      transport.cut();
      owesResync = false;
    } else if (action < 0.92) {
      const index = pickView();
      const handle = handles.get(index);
      if (handle && handles.size > 1) {
        handle.unsubscribe();
        handles.delete(index);
      } else {
        open(index);
      }
    } else {
      await settle(transport, timers);
      server.gc(); // the engine collects unreferenced rows every minute: long after replies in flight
    }
    if (random() < 0.3) timers.fireAll(); // a pending reconnect happens now
    // deliver a few messages: later writes interleave with replies and pushes still in flight
    const deliveries = Math.floor(random() * 4);
    for (let i = 0; i < deliveries; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (transport.deliverOne()) messages++;
    }
  }
  if (owesResync) transport.resync();
  await settle(transport, timers);

  const context = `seed ${seed}`;
  expect(errors.filter((e) => !(e instanceof Error && e.name === 'PatchError')), context).toEqual([]);
  const referenced = new Set<string>();
  for (const [index, handle] of handles) {
    const [view, params] = VIEWS[index];
    const fresh = server.fresh(view, params);
    expect(handle.status, `${context} ${view} ${JSON.stringify(params)} status`).toBe('live');
    expect(handle.data, `${context} ${view} ${JSON.stringify(params)} data`).toEqual(fresh.data);
    expect(handle.total, `${context} ${view} total`).toBe(fresh.total);
    expect(handle.version, `${context} ${view} version`).toBe(server.versionOf(handle.paramsHash!));
    collectRowKeys(handle.refs, referenced);
  }
  expect(client.store.size(), `${context}: rows no view references are dropped`).toBe(referenced.size);
  client.close();
  return { messages };
}

describe('a client applying server messages converges to the server snapshot', () => {
  it(`holds for ${CASES} random cases`, async () => {
    let messages = 0;
    for (let seed = FIRST; seed < FIRST + CASES; seed++) messages += (await runCase(seed)).messages;
    expect(messages).toBeGreaterThan(CASES >= 100 ? CASES * 5 : 0); // the cases exercised real traffic
  }, 300_000);
});
