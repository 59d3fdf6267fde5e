// DevTools in the browser: an admin opens it from the page and sees the page's live instances and, after a change,
// its runs' hops; a member gets the 404 of an unknown path.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { BASE, SCREENSHOTS, diagnosed, launch, openSession, screenshot, uniq } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an admin sees the live instances of the open pages and a change with its hops; a member gets a 404', async () => {
  const admin = await openSession(browser, 'admin', { workspace: 'acme', user: 'root', role: 'admin', page: 'react.html' });
  const member = await openSession(browser, 'member', { workspace: 'acme', user: 'ada', page: 'vue.html' });
  await diagnosed([admin, member], async () => {
    assert.equal(await member.page.locator('#devtools').count(), 0, 'no DevTools link for a member');
    const href = await admin.page.getAttribute('#devtools', 'href');
    const devtools = await admin.context.newPage();
    const logs = [];
    devtools.on('console', (message) => logs.push(`[devtools console.${message.type()}] ${message.text()}`));
    devtools.on('pageerror', (error) => logs.push(`[devtools pageerror] ${error}`));
    const opened = await devtools.goto(new URL(href, admin.page.url()).toString());
    assert.equal(opened.status(), 200);

    // the instances of both open pages (task_list, user_list) in workspace acme, with their subscribers
    const instances = devtools.locator('#instances tr', { hasText: 'task_list' });
    await instances.first().waitFor({ timeout: 5_000 });
    await devtools.locator('#instances tr', { hasText: 'user_list' }).first().waitFor({ timeout: 5_000 });
    assert.ok(await devtools.locator('#seances tr', { hasText: 'root' }).count() >= 1, 'the admin page\'s seance');
    const seanceCells = await devtools.$$eval('#seances td:first-child', (cells) => cells.map((c) => c.textContent));
    assert.ok(seanceCells.every((text) => text.endsWith('…')), `seance ids masked: ${seanceCells}`);

    // a change made in the page: DevTools shows it with the run that answered it and its hops
    const title = uniq('Traced');
    await admin.page.fill('#title', title);
    await admin.page.click('#add button[type="submit"]');
    const id = await admin.page.locator('#tasks li', { hasText: title }).getAttribute('data-id');
    const change = devtools.locator('#changes tr', { hasText: `INSERT tasks ${id}` });
    await change.waitFor({ timeout: 10_000 });
    const hops = await change.locator('td').last().textContent();
    assert.match(hops, /^\d+\.\d\d → \d+\.\d\d → \d+\.\d\d$/, `hops shown: ${hops}`);
    await devtools.fill('#f-table', 'users');
    await devtools.locator('#f-table').dispatchEvent('change');
    await devtools.locator('#changes tr', { hasText: `INSERT tasks ${id}` }).waitFor({ state: 'detached', timeout: 5_000 });
    await devtools.fill('#f-table', '');
    await devtools.locator('#f-table').dispatchEvent('change');
    await change.waitFor({ timeout: 5_000 });
    await devtools.setViewportSize({ width: 1280, height: 1000 });
    await devtools.screenshot({ path: join(SCREENSHOTS, 'devtools.png'), fullPage: false });
    assert.deepEqual(logs.filter((line) => line.includes('pageerror') || line.includes('console.error')), []);

    // a member, and a stranger without identity: the very 404 of an unknown path
    const unknown = await fetch(`${BASE}/arcana/no-such-endpoint`);
    const unknownBody = await unknown.text();
    for (const url of [`${BASE}/arcana/devtools?user=ada&workspace=acme&seance=${uniq('s').replace(' ', '-')}`, `${BASE}/arcana/devtools`]) {
      const refused = await member.page.goto(url);
      assert.equal(refused.status(), 404, url);
      assert.equal(await refused.text(), unknownBody, url);
    }
    await screenshot(admin, 'devtools-admin-page.png');
  });
});
