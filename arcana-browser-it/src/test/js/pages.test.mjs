// The Svelte, React and Vue pages of the example stay in step: each change made in one (add, toggle, delete,
// through the page's own controls) shows in the two others within 1 s; a refused add is rolled back everywhere.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, diagnosed, launch, openSession, screenshot, titles, uniq } from './browser.mjs';

const WITHIN = 1_000;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Waits until `present(session)` holds in each of `sessions`; returns the slowest wait in ms. */
async function seenBy(sessions, locate, state = 'visible') {
  const started = Date.now();
  await Promise.all(sessions.map((session) => locate(session).waitFor({ state, timeout: WITHIN })));
  return Date.now() - started;
}

test('a change made in any of the Svelte, React and Vue pages shows in the two others within 1 s', async () => {
  const svelte = await openSession(browser, 'svelte', { workspace: 'acme', user: 'ada' });
  const react = await openSession(browser, 'react', { workspace: 'acme', user: 'grace', page: 'react.html' });
  const vue = await openSession(browser, 'vue', { workspace: 'acme', user: 'alan', page: 'vue.html' });
  const sessions = [svelte, react, vue];
  await diagnosed(sessions, async () => {
    // warm-up: the first write on a fresh server pays for class loading; the bound below is about propagation
    const warmUp = uniq('Warm-up');
    const created = await api('POST', '/api/tasks', { title: warmUp });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (const s of sessions) await s.page.locator('#tasks li', { hasText: warmUp }).waitFor({ timeout: 10_000 });
    assert.equal((await api('DELETE', `/api/tasks/${created.body.id}`)).status, 204);
    for (const s of sessions) await s.page.locator('#tasks li', { hasText: warmUp }).waitFor({ state: 'detached', timeout: 10_000 });

    assert.deepEqual(await titles(react), await titles(svelte));
    assert.deepEqual(await titles(vue), await titles(svelte));
    let slowest = 0;
    for (const [actor, others] of [[react, [svelte, vue]], [vue, [svelte, react]], [svelte, [react, vue]]]) {
      const title = uniq(`From ${actor.name}`);
      await actor.page.fill('#title', title);
      await actor.page.click('#add button[type="submit"]');
      const row = (s) => s.page.locator('#tasks li', { hasText: title });
      slowest = Math.max(slowest, await seenBy(others, row));
      const id = await row(actor).getAttribute('data-id');
      const byId = (s) => s.page.locator(`#tasks li[data-id="${id}"]`);

      // toggled in the next page over, deleted in the last one
      const [toggler, deleter] = others;
      await byId(toggler).locator('input[type="checkbox"]').click();
      slowest = Math.max(slowest, await seenBy([actor, deleter], (s) => s.page.locator(`#tasks li.done[data-id="${id}"]`)));
      if (actor === react) {
        await screenshot(react, 'react-page.png');
        await screenshot(vue, 'vue-page.png');
      }
      await byId(deleter).locator('button.delete').click();
      slowest = Math.max(slowest, await seenBy([actor, toggler], byId, 'detached'));
    }
    console.log(`slowest propagation between the pages: ${slowest} ms`);
    assert.deepEqual(await titles(react), await titles(svelte));
    assert.deepEqual(await titles(vue), await titles(svelte));
  });
});

test('an add the server refuses (title taken) shows at once on the React and Vue pages and is rolled back', async () => {
  const react = await openSession(browser, 'react', { workspace: 'acme', user: 'grace', page: 'react.html' });
  const vue = await openSession(browser, 'vue', { workspace: 'acme', user: 'alan', page: 'vue.html' });
  await diagnosed([react, vue], async () => {
    const taken = (await titles(react))[0];
    assert.ok(taken, 'the workspace has tasks');
    const shouted = taken.toUpperCase(); // titles are unique ignoring case: refused
    for (const session of [react, vue]) {
      const before = await titles(session);
      const optimistic = session.page.locator('#tasks li .title').getByText(shouted, { exact: true });
      await session.page.fill('#title', shouted);
      await session.page.click('#add button[type="submit"]');
      await optimistic.waitFor({ timeout: WITHIN }); // shown at once
      await session.page.locator('#error').waitFor({ timeout: 10_000 });
      assert.match(await session.page.textContent('#error'), /already exists/);
      await optimistic.waitFor({ state: 'detached', timeout: 10_000 });
      assert.deepEqual(await titles(session), before);
      assert.equal(await session.page.inputValue('#title'), shouted, 'the text is given back');
    }
  });
});
