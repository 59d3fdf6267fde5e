// A reload shows the last data at once from IndexedDB (the SDK's persistence), marked stale while the server cannot
// be reached, and becomes live by itself once it can.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { diagnosed, launch, openSession, screenshot, titles } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a reloaded page shows the persisted data, stale, before it can reach the server', async () => {
  const session = await openSession(browser, 'reload', { workspace: 'globex', user: 'mindy' });
  await diagnosed([session], async () => {
    const shown = await titles(session);
    assert.ok(shown.length > 0);
    await session.page.waitForTimeout(1_000); // the SDK persists 250 ms after a change

    // the server cannot be reached: every WebSocket to it is closed at once, until `blocked` is lifted
    let blocked = true;
    await session.page.routeWebSocket(/\/arcana\/ws/, (ws) => {
      if (blocked) ws.close({ code: 1011, reason: 'blocked by the test' });
      else ws.connectToServer();
    });
    await session.page.reload();
    await session.page.waitForSelector('#tasks li', { timeout: 10_000 });
    assert.deepEqual(await titles(session), shown);
    const status = await session.page.getAttribute('#status', 'data-status');
    assert.ok(['offline', 'connecting', 'stale'].includes(status), `status while unreachable: ${status}`);
    assert.equal(await session.page.evaluate(() => window.arcana.views()[0]?.version > 0), true);
    await screenshot(session, 'reload-1-stale-from-indexeddb.png');

    blocked = false;
    await session.page.waitForSelector('#status[data-status="live"]', { timeout: 30_000 });
    assert.deepEqual(await titles(session), shown);
  });
});
