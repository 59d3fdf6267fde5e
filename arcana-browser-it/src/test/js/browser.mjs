// Shared helpers of the browser tests: Debian's chromium through playwright-core, pages of the example with a demo
// identity, and failures that carry every page's console log.
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

/** A browser session (own context: own sessionStorage, IndexedDB, seance) on the example page as `user@workspace`. */
export async function openSession(browser, name, { workspace, user }) {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  const log = [];
  page.on('console', (message) => log.push(`[${name} console.${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => log.push(`[${name} pageerror] ${error.stack ?? error}`));
  page.on('requestfailed', (request) => log.push(`[${name} requestfailed] ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  const session = { name, page, context, log, workspace, user };
  await page.goto(`${BASE}/?workspace=${encodeURIComponent(workspace)}&user=${encodeURIComponent(user)}`);
  await page.waitForSelector('#status[data-status="live"]', { timeout: 30_000 });
  return session;
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

export const exec = promisify(execFile);
