// The example page writes through SDK mutations with optimistic updates, against a server that sleeps
// example.mutation-delay-ms (300, set in this module's pom) in every mutation: the acting page shows a change within
// one animation frame, before the server's answer; other sessions get it within 1 s of the answer; a refused mutation
// is visibly undone with the server's message; mutations made offline are sent after the reconnect, each exactly once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, diagnosed, launch, openSession, screenshot, serverTasks, titles, uniq, until } from './browser.mjs';

const DELAY_MS = 300; // example.mutation-delay-ms of this module's server
const WITHIN = 1_000;
const TAKEN = 'A task with this title already exists';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/**
 * Runs `act` in the page (a click), waits one animation frame and reports what the page shows then: the rows
 * titled `title`, and the mutations still unanswered.
 */
function actAndLookOneFrameLater(session, act, title) {
  return session.page.evaluate(async ({ act, title }) => {
    const started = performance.now();
    // eslint-disable-next-line no-new-func
    new Function(act)();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const rows = [...document.querySelectorAll('#tasks li')].filter((li) => li.querySelector('.title')?.textContent === title);
    // from now on, record every removal of those rows' elements: an optimistic row must never leave the DOM
    // (disappear and come back) while the server's effects replace it
    window.removedRows = [];
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.removedNodes) {
          if (rows.includes(node)) window.removedRows.push(node.dataset.id);
        }
      }
    }).observe(document.querySelector('#tasks'), { childList: true });
    return {
      afterMs: performance.now() - started,
      rows: rows.map((li) => ({ id: li.dataset.id, pending: li.classList.contains('pending') })),
      unanswered: window.arcana.pendingMutations().map((m) => m.action),
    };
  }, { act, title });
}

/** The rows the page shows titled exactly `title` (hasText with a string ignores case and matches substrings). */
const exactly = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const rowsTitled = (session, title) => session.page.locator('#tasks li').filter({ has: session.page.locator('.title', { hasText: exactly(title) }) });

/** Waits until the page has no pending mutation (answered, and its effects shown in place of its optimistic edits). */
async function allAnswered(session, timeout = 10_000) {
  try {
    await session.page.waitForFunction(() => window.arcana.pendingMutations().length === 0, null, { timeout, polling: 10 });
  } catch (error) {
    const state = await session.page.evaluate(() => ({
      pending: window.arcana.pendingMutations(),
      rows: [...document.querySelectorAll('#tasks li')].map((li) => `${li.dataset.id} ${li.querySelector('.title')?.textContent}`),
    })).catch((e) => `unavailable: ${e}`);
    throw new Error(`mutations still pending after ${timeout} ms: ${JSON.stringify(state)}`, { cause: error });
  }
}

/** Deletes the tasks (of acme) whose titles start with one of `prefixes`: each test removes its data, passed or not. */
async function removeTasks(...prefixes) {
  for (const task of await serverTasks()) {
    if (prefixes.some((prefix) => task.title.toLowerCase().startsWith(prefix.toLowerCase()))) {
      await api('DELETE', `/api/tasks/${task.id}`);
    }
  }
}

/** A mutation run in the page through the SDK (for set-up); resolves with its result and how long it took. */
function mutateInPage(session, action, params) {
  return session.page.evaluate(async ({ action, params }) => {
    const started = performance.now();
    const data = await window.arcana.mutate(action, params);
    return { data, tookMs: performance.now() - started };
  }, { action, params });
}

test('an added task shows within one animation frame, before the answer; another session sees it within 1 s of the answer', async () => {
  const acting = await openSession(browser, 'acting', { workspace: 'acme', user: 'ada' });
  const other = await openSession(browser, 'other', { workspace: 'acme', user: 'grace' });
  const title = uniq('Optimistic task');
  await diagnosed([acting, other], async () => {
    // Warm-up (the first mutation on a fresh server pays for class loading); also proves the server's delay is on,
    // without which "before the server answers" below would prove little.
    const warmUp = await mutateInPage(acting, 'add_task', { title: `${title} (warm-up)` });
    assert.ok(warmUp.tookMs >= DELAY_MS, `a mutation took ${warmUp.tookMs} ms: is example.mutation-delay-ms set?`);
    await mutateInPage(acting, 'delete_task', { id: warmUp.data.id });

    await acting.page.fill('#title', title);
    const clicked = Date.now();
    const oneFrameLater = await actAndLookOneFrameLater(acting, 'document.querySelector(\'#add button[type="submit"]\').click()', title);
    await screenshot(acting, 'mutation-1-optimistic.png');
    // shown (one row, marked pending) while the server still sleeps on it: the reply has not come
    assert.equal(oneFrameLater.rows.length, 1, JSON.stringify(oneFrameLater));
    assert.equal(oneFrameLater.rows[0].pending, true, JSON.stringify(oneFrameLater));
    assert.deepEqual(oneFrameLater.unanswered, ['add_task'], JSON.stringify(oneFrameLater));
    assert.equal(await acting.page.inputValue('#title'), '', 'the form is ready for the next task at once');

    const [answeredAt, seenAt] = await Promise.all([
      allAnswered(acting).then(() => Date.now()),
      rowsTitled(other, title).waitFor({ timeout: 10_000 }).then(() => Date.now()),
    ]);
    assert.ok(answeredAt - clicked >= DELAY_MS, `answered after ${answeredAt - clicked} ms, less than the server's delay`);
    assert.ok(seenAt - answeredAt <= WITHIN, `the other session saw it ${seenAt - answeredAt} ms after the answer`);

    // the optimistic row is the server's row (the page chose its id): one row, the same element all along — never
    // removed and shown again — no longer pending, the same in both sessions
    const row = rowsTitled(acting, title);
    assert.equal(await row.count(), 1);
    const id = await row.getAttribute('data-id');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
    assert.equal(id, oneFrameLater.rows[0].id);
    assert.deepEqual(await acting.page.evaluate(() => window.removedRows), [], 'the optimistic row left the page');
    assert.equal(await row.evaluate((li) => li.classList.contains('pending')), false);
    assert.equal(await rowsTitled(other, title).getAttribute('data-id'), id);
    console.log(`shown ${oneFrameLater.afterMs.toFixed(1)} ms after the click; answered after ${answeredAt - clicked} ms;`
      + ` other session ${seenAt - answeredAt} ms after the answer`);
    await mutateInPage(acting, 'delete_task', { id });
  }).finally(() => removeTasks(title));
});

test('a refused add or rename (a taken title) is visibly undone and shows the server\'s message', async () => {
  const session = await openSession(browser, 'refused', { workspace: 'acme', user: 'ada' });
  const taken = uniq('Taken title');
  const other = uniq('Other title');
  await diagnosed([session], async () => {
    const created = [];
    for (const title of [taken, other]) {
      const reply = await api('POST', '/api/tasks', { title });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      created.push(reply.body.id);
      await rowsTitled(session, title).waitFor({ timeout: 5_000 });
    }

    // add: the same title in other case (the rule ignores case) shows, then goes, with the message
    const clash = taken.toUpperCase();
    await session.page.fill('#title', clash);
    const added = await actAndLookOneFrameLater(session, 'document.querySelector(\'#add button[type="submit"]\').click()', clash);
    assert.equal(added.rows.length, 1, `the optimistic row: ${JSON.stringify(added)}`);
    await rowsTitled(session, clash).waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await session.page.textContent('#error'), TAKEN);
    assert.equal(await session.page.inputValue('#title'), clash, 'the refused title is back in the form');
    assert.equal(await rowsTitled(session, taken).count(), 1);

    // rename (double-click, type, Enter): shows the new title, then the old one again, with the message
    await session.page.fill('#title', '');
    const row = session.page.locator(`#tasks li[data-id="${created[1]}"]`);
    await row.locator('.title').dblclick();
    await row.locator('input.rename').fill(taken);
    const renamed = await session.page.evaluate(async (id) => {
      const input = document.querySelector(`#tasks li[data-id="${id}"] input.rename`);
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const li = document.querySelector(`#tasks li[data-id="${id}"]`);
      return { title: li.querySelector('.title')?.textContent, pending: li.classList.contains('pending'), error: document.querySelector('#error')?.textContent ?? null };
    }, created[1]);
    assert.deepEqual(renamed, { title: taken, pending: true, error: null }, 'renamed at once, pending, the last error cleared');
    await session.page.waitForFunction(({ id, title }) => {
      const li = document.querySelector(`#tasks li[data-id="${id}"]`);
      return li?.querySelector('.title')?.textContent === title && !li.classList.contains('pending');
    }, { id: created[1], title: other }, { timeout: 10_000 });
    assert.equal(await session.page.textContent('#error'), TAKEN);
    assert.equal(await rowsTitled(session, taken).count(), 1);
    await screenshot(session, 'mutation-2-rejected.png');

    const onServer = (await serverTasks()).filter((task) => created.includes(task.id)).map((task) => task.title);
    assert.deepEqual(onServer, [taken, other]);
    for (const id of created) assert.equal((await api('DELETE', `/api/tasks/${id}`)).status, 204);
  }).finally(() => removeTasks(taken, other));
});

test('move up/down and delete show at once and end as the server has them', async () => {
  const session = await openSession(browser, 'reorder', { workspace: 'acme', user: 'ada' });
  const first = uniq('Reorder first');
  const second = uniq('Reorder second');
  await diagnosed([session], async () => {
    for (const title of [first, second]) {
      assert.equal((await api('POST', '/api/tasks', { title })).status, 201);
      await rowsTitled(session, title).waitFor({ timeout: 5_000 });
    }
    const ours = async () => (await titles(session)).filter((title) => title === first || title === second);
    assert.deepEqual(await ours(), [first, second]);

    const secondId = await rowsTitled(session, second).getAttribute('data-id');
    const moved = await actAndLookOneFrameLater(session, `document.querySelector('#tasks li[data-id="${secondId}"] button.up').click()`, second);
    assert.equal(moved.rows[0].pending, true);
    assert.deepEqual(await ours(), [second, first], 'moved up at once');
    await allAnswered(session);
    assert.deepEqual(await ours(), [second, first]);
    assert.deepEqual(await titles(session), (await serverTasks()).map((task) => task.title), 'the page shows the server\'s order');

    await session.page.locator(`#tasks li[data-id="${secondId}"] button.down`).click();
    await allAnswered(session);
    assert.deepEqual(await ours(), [first, second]);
    assert.deepEqual(await titles(session), (await serverTasks()).map((task) => task.title));

    for (const title of [first, second]) {
      const gone = await actAndLookOneFrameLater(session, `[...document.querySelectorAll('#tasks li')]
        .find((li) => li.querySelector('.title').textContent === ${JSON.stringify(title)}).querySelector('button.delete').click()`, title);
      assert.equal(gone.rows.length, 0, 'deleted at once');
    }
    await allAnswered(session);
    assert.deepEqual(await ours(), []);
    assert.ok(!(await serverTasks()).some((task) => task.title === first || task.title === second));
  }).finally(() => removeTasks(first, second));
});

test('mutations made offline show at once and, back online, are each applied exactly once', async () => {
  const session = await openSession(browser, 'offline', { workspace: 'acme', user: 'ada', cuttable: true });
  const toToggle = uniq('Offline toggle');
  const toRename = uniq('Offline rename');
  const inFlight = uniq('Sent before going offline');
  const added = uniq('Added offline');
  await diagnosed([session], async () => {
    const ids = {};
    for (const title of [toToggle, toRename]) {
      const reply = await api('POST', '/api/tasks', { title });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      ids[title] = reply.body.id;
      await rowsTitled(session, title).waitFor({ timeout: 5_000 });
    }

    // An add sent just before the network goes: the server runs it (it sleeps 300 ms first) but its answer is lost.
    await session.page.fill('#title', inFlight);
    const framesBefore = session.network.mutateFramesSent;
    await session.page.click('#add button[type="submit"]');
    await until(() => session.network.mutateFramesSent > framesBefore, 5_000, 'the add handed to the server');
    await session.network.cut();
    await session.page.waitForSelector('#status:not([data-status="live"])', { timeout: 10_000 });

    // offline: add, toggle, rename; each shows at once (pending) and none reaches the server
    await session.page.fill('#title', added);
    await session.page.click('#add button[type="submit"]');
    const toggleRow = session.page.locator(`#tasks li[data-id="${ids[toToggle]}"]`);
    await toggleRow.locator('input[type="checkbox"]').check();
    const renamed = `${toRename} (renamed offline)`;
    const renameRow = session.page.locator(`#tasks li[data-id="${ids[toRename]}"]`);
    await renameRow.locator('button.edit').click();
    await renameRow.locator('input.rename').fill(renamed);
    await renameRow.locator('input.rename').press('Enter');

    assert.equal(await rowsTitled(session, added).count(), 1);
    assert.equal(await rowsTitled(session, added).evaluate((li) => li.classList.contains('pending')), true);
    assert.equal(await toggleRow.evaluate((li) => li.classList.contains('done') && li.classList.contains('pending')), true);
    assert.equal(await renameRow.locator('.title').textContent(), renamed);
    const waiting = await session.page.evaluate(() => window.arcana.pendingMutations().map((m) => m.action));
    assert.deepEqual(waiting, ['add_task', 'add_task', 'toggle_task', 'rename_task']);
    await screenshot(session, 'mutation-3-offline-pending.png');
    // the page tries to reconnect and cannot; nothing made offline reached the server
    const refusedBefore = session.network.refused;
    await until(() => session.network.refused >= refusedBefore + 2, 15_000, 'two reconnects refused while offline');
    assert.equal(session.network.mutateFramesSent, framesBefore + 1, 'no mutate frame sent while offline');
    assert.notEqual(await session.page.getAttribute('#status', 'data-status'), 'live');
    const whileOffline = await serverTasks();
    assert.ok(!whileOffline.some((task) => task.title === added || task.title === renamed), 'nothing sent while offline');
    assert.equal(whileOffline.find((task) => task.id === ids[toToggle]).done, false);

    await session.network.restore();
    await session.page.waitForSelector('#status[data-status="live"]', { timeout: 30_000 });
    await allAnswered(session, 30_000);
    // the add sent before the cut ran on the server; sent again after the reconnect, it got its first outcome
    assert.equal(session.network.replayedAnswers, 1, 'one answer replayed: the add whose answer was lost');

    // the page ends as the server is; every mutation ran once
    const server = await serverTasks();
    const shown = await session.page.$$eval('#tasks li', (rows) => rows.map((li) => ({
      id: li.dataset.id, title: li.querySelector('.title').textContent, done: li.classList.contains('done'), pending: li.classList.contains('pending'),
    })));
    assert.deepEqual(shown, server.map((task) => ({ id: task.id, title: task.title, done: task.done, pending: false })));
    const count = (title) => server.filter((task) => task.title === title).length;
    assert.equal(count(inFlight), 1, 'the add whose answer was lost ran once');
    assert.equal(count(added), 1, 'the add made offline ran once');
    assert.equal(count(renamed), 1);
    assert.equal(count(toRename), 0);
    assert.equal(server.find((task) => task.id === ids[toToggle]).done, true);
    assert.equal(await session.page.$('#error'), null, 'no mutation failed');

    for (const task of server.filter((t) => [inFlight, added, renamed, toToggle].includes(t.title))) {
      assert.equal((await api('DELETE', `/api/tasks/${task.id}`)).status, 204);
    }
  }).finally(() => removeTasks(toToggle, toRename, inFlight, added));
});
