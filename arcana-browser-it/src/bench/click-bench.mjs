// Click → server-confirmed, in a real browser: the load driver runs this once per server variant (`--clicks N`,
// BENCHMARKS.md) against the example page at ARCANA_BASE_URL. Two sessions of a fresh workspace (acting and watching);
// each round types a title into the acting page and clicks "Add" (an optimistic add_task), and times, from the click:
//   shown     — the new row is in the acting page's DOM (the optimistic update);
//   confirmed — the row is no longer pending and the page has no unanswered mutation (the server's answer and its
//               effects are in the view);
//   other     — the row is in the watching page's DOM (another client got the server's push);
// and where the time goes: sent — the page hands the mutate frame to its WebSocket; firstFrame — the server's next
// frame reaches the page; answered — the mutate_ok reaches the page (each before the SDK handles it); and, on the
// network stack's clock from the moment the mutate frame left: wireFirst — the next frame came in, wireAnswer — the
// mutate_ok came in (the server's share, without the page's main thread).
// Times are epoch milliseconds of each page (performance.timeOrigin + performance.now(): one machine, one clock).
// The task is then deleted through the SDK (not timed) and the next round waits until both pages no longer show it.
// Prints one JSON line of milliseconds on stdout, {"shown":[...],"confirmed":[...],"other":[...],"sent":[...],
// "firstFrame":[...],"answered":[...],"wireFirst":[...],"wireAnswer":[...]}; progress on stderr.
import { launch, openSession } from '../test/js/browser.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const CLICKS = Number(args.clicks ?? 100);
const WARMUP = Number(args.warmup ?? 10);
const ROUND_TIMEOUT_MS = 10_000;

/**
 * Runs in the acting page before its scripts: notes when the page hands a mutate frame to its WebSocket, when the
 * next frame (the mutation's first diff, normally) and when the mutate_ok reach the page, each before the SDK's
 * handler runs (the SDK sets `onmessage`); the page handles the diffs that precede the mutate_ok in between.
 */
function instrument() {
  const now = () => performance.timeOrigin + performance.now();
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function timedSend(data) {
    if (typeof data === 'string' && data.includes('"type":"mutate"')) {
      window.mutateSentAt = now();
      window.firstFrameAt = undefined;
    }
    return send.call(this, data);
  };
  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return onmessage.get.call(this); },
    set(handler) {
      onmessage.set.call(this, handler && function timedMessage(event) {
        if (window.firstFrameAt === undefined) window.firstFrameAt = now(); // the server's first frame since
        if (typeof event.data === 'string' && event.data.includes('"type":"mutate_ok"')) window.mutateAnsweredAt = now();
        return handler.call(this, event);
      });
    },
  });
}

/**
 * Starts watching the page for a row titled `title`; `window.seen` then resolves with the epoch ms at which it was
 * in the page. Armed (and awaited) before the click, so the watch cannot start late.
 */
function watchFor(session, title) {
  return session.page.evaluate(({ title, timeout }) => {
    const now = () => performance.timeOrigin + performance.now();
    const shown = () => [...document.querySelectorAll('#tasks li .title')].some((t) => t.textContent === title);
    window.seen = new Promise((resolve, reject) => {
      const observer = new MutationObserver(() => {
        if (shown()) { observer.disconnect(); resolve(now()); }
      });
      observer.observe(document.querySelector('#tasks'), { childList: true, subtree: true, characterData: true });
      setTimeout(() => { observer.disconnect(); reject(new Error(`'${title}' not shown within ${timeout} ms`)); }, timeout);
    });
  }, { title, timeout: ROUND_TIMEOUT_MS });
}

/** Types `title`, clicks Add, and resolves with the epoch ms of the click, of the optimistic row, and of the confirmation. */
function clickAdd(session, title) {
  return session.page.evaluate(async ({ title, timeout }) => {
    const now = () => performance.timeOrigin + performance.now();
    const input = document.querySelector('#title');
    input.value = title;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(resolve)); // the form holds the title
    const row = () => [...document.querySelectorAll('#tasks li')].find((li) => li.querySelector('.title')?.textContent === title);
    const times = {};
    const done = new Promise((resolve, reject) => {
      const look = () => {
        const li = row();
        if (li && times.shown === undefined) times.shown = now();
        if (li && !li.classList.contains('pending') && window.arcana.pendingMutations().length === 0) {
          times.confirmed = now();
          times.sent = window.mutateSentAt;
          times.answered = window.mutateAnsweredAt;
          times.firstFrame = window.firstFrameAt;
          observer.disconnect();
          resolve(times);
        }
      };
      const observer = new MutationObserver(look);
      observer.observe(document.querySelector('#tasks'), { childList: true, subtree: true, attributes: true, characterData: true });
      setTimeout(() => { observer.disconnect(); reject(new Error(`'${title}' not confirmed within ${timeout} ms`)); }, timeout);
    });
    times.clicked = now();
    document.querySelector('#add button[type="submit"]').click();
    return done;
  }, { title, timeout: ROUND_TIMEOUT_MS });
}

/** Deletes the task titled `title` through the SDK and waits until neither page shows it. */
async function remove(acting, watching, title) {
  await acting.page.evaluate(async (title) => {
    const li = [...document.querySelectorAll('#tasks li')].find((l) => l.querySelector('.title')?.textContent === title);
    await window.arcana.mutate('delete_task', { id: li.dataset.id });
  }, title);
  for (const session of [acting, watching]) {
    await session.page.waitForFunction((title) => ![...document.querySelectorAll('#tasks li .title')]
      .some((t) => t.textContent === title), title, { timeout: ROUND_TIMEOUT_MS, polling: 'raf' });
  }
}

/**
 * The acting page's WebSocket frames as Chromium's network stack sees them (DevTools protocol: one monotonic clock,
 * before the page's main thread): `arm()` before a click, then `read()` gives, in ms after the mutate frame left,
 * when the next frame and when the mutate_ok came in.
 */
async function wireWatch(session) {
  const cdp = await session.context.newCDPSession(session.page);
  await cdp.send('Network.enable');
  let wire = {};
  cdp.on('Network.webSocketFrameSent', ({ timestamp, response }) => {
    if (wire.armed && wire.sent === undefined && response.payloadData.includes('"type":"mutate"')) wire.sent = timestamp;
  });
  cdp.on('Network.webSocketFrameReceived', ({ timestamp, response }) => {
    if (wire.sent === undefined) return;
    if (wire.first === undefined) wire.first = timestamp;
    if (wire.answer === undefined && response.payloadData.includes('"type":"mutate_ok"')) wire.answer = timestamp;
  });
  return {
    arm() { wire = { armed: true }; },
    async read() {
      const deadline = Date.now() + ROUND_TIMEOUT_MS;
      while (wire.answer === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      if (wire.answer === undefined) throw new Error('no mutate_ok seen on the wire');
      return { first: (wire.first - wire.sent) * 1000, answer: (wire.answer - wire.sent) * 1000 };
    },
  };
}

const browser = await launch();
try {
  const workspace = `click-${Date.now().toString(36)}`;
  const acting = await openSession(browser, 'acting', { workspace, user: 'ada', init: instrument });
  const watching = await openSession(browser, 'watching', { workspace, user: 'grace' });
  const wire = await wireWatch(acting);
  const result = { shown: [], confirmed: [], other: [], sent: [], firstFrame: [], answered: [], wireFirst: [], wireAnswer: [] };
  for (let round = 0; round < WARMUP + CLICKS; round++) {
    const title = `Click ${round}`;
    await watchFor(watching, title);
    wire.arm();
    const times = await clickAdd(acting, title);
    const onTheWire = await wire.read();
    const seenAt = await watching.page.evaluate(() => window.seen);
    if (round >= WARMUP) {
      result.shown.push(times.shown - times.clicked);
      result.confirmed.push(times.confirmed - times.clicked);
      result.other.push(seenAt - times.clicked);
      result.sent.push(times.sent - times.clicked);
      result.firstFrame.push(times.firstFrame - times.clicked);
      result.answered.push(times.answered - times.clicked);
      result.wireFirst.push(onTheWire.first);
      result.wireAnswer.push(onTheWire.answer);
    }
    await remove(acting, watching, title);
    if ((round + 1) % 20 === 0) process.stderr.write(`   clicks: ${round + 1} of ${WARMUP + CLICKS} (${WARMUP} warm-up)\n`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await browser.close();
}
