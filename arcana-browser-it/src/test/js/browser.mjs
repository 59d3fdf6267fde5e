// Shared helpers of the browser tests: Debian's chromium through playwright-core, pages of the example with a demo
// identity, and failures that carry every page's console log.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

export const BASE = process.env.ARCANA_BASE_URL ?? 'http://localhost:9280';
export const OUT = process.env.ARCANA_OUT_DIR ?? new URL('../../../target', import.meta.url).pathname;
export const SCREENSHOTS = join(OUT, 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

// Without the networking flags chromium keeps trying to reach Google's hosts on this closed network and can hang.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Launches chromium (playwright gives every launch a fresh, empty user-data-dir). */
export function launch() {
  return chromium.launch({ executablePath: process.env.ARCANA_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS, timeout: 60_000 });
}

export const uniq = (prefix) => `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * A browser session (own context: own sessionStorage, IndexedDB, seance) on an example page (`page`: '' for the
 * Svelte page, 'react.html', 'vue.html') as `user@workspace` (with `role`, e.g. 'admin').
 * With `cuttable`, `session.network` can take the session offline and back (see cuttableNetwork); `init` (a function)
 * runs in the page before the page's own scripts.
 */
export async function openSession(browser, name, { workspace, user, role = '', page: path = '', cuttable = false, init }) {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  if (init) await context.addInitScript(init); // runs in every page of the session before its own scripts
  const network = cuttable ? await cuttableNetwork(context) : undefined;
  const page = await context.newPage();
  const log = [];
  page.on('console', (message) => log.push(`[${name} console.${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => log.push(`[${name} pageerror] ${error.stack ?? error}`));
  page.on('requestfailed', (request) => log.push(`[${name} requestfailed] ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  const session = { name, page, context, log, workspace, user, network };
  const query = new URLSearchParams({ workspace, user });
  if (role) query.set('role', role);
  await page.goto(`${BASE}/${path}?${query}`);
  await page.waitForSelector('#status[data-status="live"]', { timeout: 30_000 });
  return session;
}

/**
 * Lets a test take a context offline and back. Chromium's offline emulation (`context.setOffline`, CDP
 * Network.emulateNetworkConditions) fails new requests but leaves open WebSockets working (playwright#4910), so the
 * page's WebSockets go through a route: `cut()` closes them (both sides, as a lost network would) and sets the
 * context offline; while cut, every new WebSocket is closed at once (counted in `refused`). `restore()` undoes both.
 * `mutateFramesSent` counts the mutate frames handed to the server, `replayedAnswers` the answers that repeat a first
 * outcome (a mutation sent again after its answer was lost).
 */
async function cuttableNetwork(context) {
  const open = new Set();
  const ignore = () => undefined; // closing a side that is already closed
  // close() takes only codes a page may send (1000, 3000-4999): others (1006 after a lost connection) become 4000
  const closing = (code, reason) => (code === 1000 || (code >= 3000 && code <= 4999) ? { code, reason } : { code: 4000, reason });
  const network = {
    offline: false,
    refused: 0,
    mutateFramesSent: 0,
    replayedAnswers: 0,
    async cut() {
      network.offline = true;
      for (const { page, server } of open) {
        await server.close({ code: 4000, reason: 'network cut by the test' }).catch(ignore);
        await page.close({ code: 4000, reason: 'network cut by the test' }).catch(ignore);
      }
      open.clear();
      await context.setOffline(true);
    },
    async restore() {
      await context.setOffline(false);
      network.offline = false;
    },
  };
  await context.routeWebSocket(/\/arcana\/ws/, (page) => {
    if (network.offline) {
      network.refused++;
      page.close({ code: 4000, reason: 'offline' }).catch(ignore);
      return;
    }
    const server = page.connectToServer();
    const connection = { page, server };
    open.add(connection);
    page.onMessage((message) => {
      server.send(message);
      if (typeof message === 'string' && message.includes('"type":"mutate"')) network.mutateFramesSent++;
    });
    server.onMessage((message) => {
      page.send(message);
      if (typeof message === 'string' && message.includes('"type":"mutate_ok"') && message.includes('"replayed":true')) network.replayedAnswers++;
    });
    page.onClose((code, reason) => { open.delete(connection); server.close(closing(code, reason)).catch(ignore); });
    server.onClose((code, reason) => { open.delete(connection); page.close(closing(code, reason)).catch(ignore); });
  });
  return network;
}

/** Polls `condition` (in node) until it holds, failing after `timeoutMs` with `what`. */
export async function until(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function screenshot(session, file) {
  await session.page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
}

/** The task titles the page shows, in order. */
export function titles(session) {
  return session.page.$$eval('#tasks li .title', (spans) => spans.map((span) => span.textContent));
}

/** Runs `body`; on failure, saves a screenshot of every session and adds their console logs to the error. */
export async function diagnosed(sessions, body) {
  try {
    return await body();
  } catch (error) {
    const logs = [];
    for (const session of sessions) {
      await screenshot(session, `failure-${session.name}.png`).catch(() => undefined);
      const state = await session.page.evaluate(() => ({
        status: document.querySelector('#status')?.dataset.status,
        views: window.arcana?.views(),
        pendingMutations: window.arcana?.pendingMutations(),
      })).catch((e) => `unavailable: ${e}`);
      logs.push(`--- ${session.name} (${session.user}@${session.workspace}) state ${JSON.stringify(state)}`, ...session.log);
    }
    // a new error: some errors (playwright's timeouts) print a stack fixed before their message could change
    throw new Error(`${error.message}\n\nBrowser console logs:\n${logs.join('\n')}`, { cause: error });
  }
}

/** The example's REST API and Arcana's HTTP endpoints, as `user@workspace` with its own seance. */
export async function api(method, path, body, { workspace = 'acme', user = 'node', seance = 'node-tests' } = {}) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Seance-ID': seance, 'X-User-ID': user, 'X-Workspace-ID': workspace },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The workspace's tasks from a fresh subscribe (a new seance): what the server has now, in the view's order. */
export async function serverTasks(workspace = 'acme') {
  const seance = `fresh-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const reply = await api('POST', '/arcana/subscribe', { view: 'task_list', params: {} }, { workspace, seance });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  const { refs, tables } = reply.body.data;
  return refs.map((ref) => tables.tasks[ref.id]);
}

export const exec = promisify(execFile);
