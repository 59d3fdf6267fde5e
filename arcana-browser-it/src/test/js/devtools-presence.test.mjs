// DevTools as the server's settings make it (ARCANA_DEVTOOLS=on|off, from BrowserIT): an admin's link opens it where
// it is on; where it is off, the same link gets the very 404 of an unknown path. Runs on every server kind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, diagnosed, launch, openSession } from './browser.mjs';

const expected = process.env.ARCANA_DEVTOOLS ?? 'on';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test(`DevTools is ${expected === 'on' ? 'there for an admin' : 'absent, even for an admin'}`, async () => {
  const admin = await openSession(browser, 'admin', { workspace: 'acme', user: 'root', role: 'admin' });
  await diagnosed([admin], async () => {
    const href = await admin.page.getAttribute('#devtools', 'href'); // the page links it for admins either way
    const reply = await admin.page.goto(new URL(href, admin.page.url()).toString());
    if (expected === 'on') {
      assert.equal(reply.status(), 200);
      assert.equal(await admin.page.title(), 'Arcana DevTools');
      await admin.page.locator('#instances tr', { hasText: 'task_list' }).first().waitFor({ timeout: 5_000 });
    } else {
      const unknown = await fetch(`${BASE}/arcana/no-such-endpoint`);
      assert.equal(reply.status(), 404);
      assert.equal(await reply.text(), await unknown.text());
      const state = await fetch(`${BASE}/arcana/devtools/state`, { headers: { 'X-Seance-ID': 's-presence-check-000001', 'X-User-ID': 'root', 'X-Workspace-ID': 'acme', 'X-Role': 'admin' } });
      assert.equal(state.status, 404);
    }
  });
});
