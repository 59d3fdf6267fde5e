// After the server restarts (Liberty stop + start; the example's embedded database starts afresh), the open page
// reconnects by itself and shows the server's current data: rows of before the restart are gone, new rows appear.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { api, BASE, diagnosed, exec, launch, openSession, screenshot, titles, uniq } from './browser.mjs';

const WLP = process.env.ARCANA_WLP_DIR;
const SERVER = process.env.ARCANA_SERVER_NAME ?? 'arcana-browser-it';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function server(action) {
  assert.ok(WLP, 'ARCANA_WLP_DIR must name the Liberty runtime (set by BrowserIT)');
  await exec(join(WLP, 'bin', 'server'), [action, SERVER], { timeout: 120_000 });
}

async function waitForApp(deadline) {
  while (Date.now() < deadline) {
    const ready = await fetch(`${BASE}/health/ready`).then((r) => r.status === 200).catch(() => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the example did not come back within the deadline');
}

/** The task titles of a fresh subscribe: what the server has now. */
async function serverTitles() {
  const reply = await api('POST', '/arcana/subscribe', { view: 'task_list', params: {} }, { seance: `fresh-${Date.now()}` });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  const { refs, tables } = reply.body.data;
  return refs.map((ref) => tables.tasks[ref.id].title);
}

test('the page recovers by itself after a server restart and shows the current data', async () => {
  const page = await openSession(browser, 'restart', { workspace: 'acme', user: 'ada' });
  await diagnosed([page], async () => {
    const before = uniq('Before the restart');
    assert.equal((await api('POST', '/api/tasks', { title: before })).status, 201);
    await page.page.locator('#tasks li', { hasText: before }).waitFor({ timeout: 5_000 });

    await server('stop');
    await page.page.waitForSelector('#status:not([data-status="live"])', { timeout: 30_000 });
    await screenshot(page, 'restart-1-server-down.png');
    assert.ok((await titles(page)).includes(before), 'the last data stays on screen while the server is away');

    await server('start');
    await waitForApp(Date.now() + 120_000);
    const after = uniq('After the restart');
    assert.equal((await api('POST', '/api/tasks', { title: after })).status, 201);

    // no reload: the page must reconnect, re-establish its views and show exactly the server's data
    await page.page.waitForSelector('#status[data-status="live"]', { timeout: 30_000 });
    await page.page.locator('#tasks li', { hasText: after }).waitFor({ timeout: 15_000 });
    const expected = await serverTitles();
    assert.ok(!expected.includes(before), 'the restarted server starts from the demo data');
    const deadline = Date.now() + 10_000;
    while (JSON.stringify(await titles(page)) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(await titles(page), expected);
    await screenshot(page, 'restart-2-recovered.png');
  });
});
