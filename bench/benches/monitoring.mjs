/**
 * 7. Monitoring cost. The same tile page as 1 (`tiles` distinct <img> tiles from api.os.uk, on
 * 127.0.0.1), loaded with project A attaching the key (key-header mode) in two variants, in a
 * random order within each round, in the same browser session:
 *   ON   "Record activity" on: the background's non-blocking webRequest listeners observe every
 *        tile request and record it (activity log, usage counts, alerts)
 *   OFF  "Record activity" off: the listeners are removed
 * The setting is changed with the `saveSettings` message (what the options page sends), from an
 * extension page that runs no app of its own (the extension's manifest.json in a tab); the popup
 * tab is closed while measuring, since it polls the background every 2 s.
 * Time = in-page performance.now() (from navigation start) when the last image fired load/error,
 * as in 1. The ON/OFF ratio is taken within each round, then summarised over rounds.
 * Browser CPU is taken over the load, and over the load plus a settle period long enough for the
 * monitor's batched storage write (FLUSH_MS = 1 s) to have happened: the monitor's whole cost.
 * After every load the bench checks what was recorded: in ON rounds every tile must be in the
 * activity log (`getActivity`) and in the log written to chrome.storage.session (`activityLog`),
 * booked to project A with status 200; in OFF rounds none.
 */
import { bootstrapMedianCi, median, percentile, shuffled, sleep } from '../lib/stats.mjs';
import { KEY_A, PROJECT_A } from '../lib/session.mjs';

/** Runs in the extension page: one message to the background, unwrapped. */
async function message({ type, args }) {
  const reply = await chrome.runtime.sendMessage({ channel: 'os-api-keyring', type, args });
  if (!reply) throw new Error(`${type}: no reply`);
  if (!reply.ok) throw new Error(`${type}: ${reply.error?.message ?? JSON.stringify(reply.error)}`);
  return reply.value;
}

/** @param {Awaited<ReturnType<import('../lib/session.mjs').startSession>>} s */
export async function benchMonitoring(s, { rounds, minRounds = rounds, maxSeconds = Infinity, warmup, tiles, settleMs = 1500 }) {
  const started = Date.now();
  await s.activate(PROJECT_A);
  // Every tab is opened first; the popup is closed for the loads (it polls getMonitoring every 2 s).
  const control = await s.browser.context.newPage();
  await control.goto(`chrome-extension://${s.browser.mainId}/manifest.json`);
  await s.closePopup();
  const page = await s.browser.context.newPage();
  const send = (type, args) => control.evaluate(message, { type, args });
  const initial = await send('getSettings', {});
  let recording = null;
  let run = 0;
  const problems = [];

  async function setup(variant) {
    const want = variant === 'ON';
    if (recording !== want) {
      await send('saveSettings', { recordActivity: want });
      // The background answers saveSettings after applying it; confirm it says so.
      const now = (await send('getActivity', { limit: 1 })).recording;
      if (now !== want) throw new Error(`Record activity did not turn ${variant} (background says recording: ${now})`);
      recording = want;
    }
    // Let the background settle so its work does not overlap the measured load.
    await sleep(250);
  }

  /** Rows of the activity log (getActivity) and of its stored copy (storage.session) for one run id. */
  async function recorded(id) {
    const tag = `r=${encodeURIComponent(id)}`;
    const mine = (path) => path.endsWith(tag) || path.includes(`${tag}&`);
    const { rows } = await send('getActivity', { limit: tiles + 100 });
    const logged = rows.filter((x) => mine(x.path));
    // The log is stored in blocks under activityLog.<n> (src/background/activity-monitor.ts).
    const stored = await (await s.browser.worker(s.browser.mainId)).evaluate(async (prefix) => {
      const all = await chrome.storage.session.get(null);
      return Object.entries(all)
        .filter(([k, v]) => k.startsWith(prefix) && Array.isArray(v))
        .flatMap(([, v]) => v.map((e) => e.path));
    }, 'activityLog.');
    return {
      logged: logged.length,
      right: logged.filter((x) => x.status === 200 && x.projectName === PROJECT_A && x.mode === 'header').length,
      stored: stored.filter(mine).length,
      logLength: stored.length,
    };
  }

  async function load(variant) {
    const id = `${variant}${++run}-${Date.now().toString(36)}`;
    s.mock.clear();
    s.mock.resetRateLimits();
    await page.bringToFront();
    const cpuBefore = s.browser.cpu.browserCpuMs();
    await page.goto(s.pages.url(`/tiles?n=${tiles}&run=${id}`), { waitUntil: 'load', timeout: 60_000 });
    let r = await page.evaluate(() => window.__bench);
    if (r.done === null) {
      await page.waitForFunction(() => window.__bench.done !== null, null, { timeout: 60_000, polling: 50 });
      r = await page.evaluate(() => window.__bench);
    }
    const cpuAfter = s.browser.cpu.browserCpuMs();
    // The same wait after both variants: ON's batched write to storage.session happens in it.
    await sleep(settleMs);
    const cpuSettled = s.browser.cpu.browserCpuMs();
    const got = s.mock.requests.filter((q) => q.query.r === id);
    const wrong = got.filter((q) => q.status !== 200 || q.credential.source !== 'header' || q.credential.value !== KEY_A).length;
    if (r.failed || got.length !== tiles || wrong) {
      problems.push(`${variant} run ${run}: ${r.loaded} loaded, ${r.failed} failed, mock saw ${got.length}/${tiles}, ${wrong} without the key as header`);
    }
    const rec = await recorded(id);
    const want = variant === 'ON' ? tiles : 0;
    if (rec.logged !== want || rec.stored !== want || (variant === 'ON' && rec.right !== tiles)) {
      problems.push(`${variant} run ${run}: ${rec.logged} of ${tiles} in the activity log (${rec.right} as 200 for ${PROJECT_A}), ${rec.stored} in storage.session; expected ${want}`);
    }
    return { ms: r.done, cpu: cpuBefore === null ? null : cpuAfter - cpuBefore, cpuTail: cpuBefore === null ? null : cpuSettled - cpuBefore, rec };
  }

  const times = { ON: [], OFF: [] };
  const ratios = [];
  const cpuMs = { ON: [], OFF: [] };
  const cpuRatios = [];
  const tailMs = { ON: [], OFF: [] };
  const tailRatios = [];
  const foreign = [];
  /** Over the measured rounds: tiles requested, logged and stored per variant; the log's length after each ON round. */
  const count = { ON: { requests: 0, logged: 0, right: 0, stored: 0 }, OFF: { requests: 0, logged: 0, right: 0, stored: 0 } };
  const logLengths = [];
  let measured = 0;
  try {
    for (let i = 0; i < warmup + rounds; i++) {
      if (measured >= minRounds && (Date.now() - started) / 1000 > maxSeconds) break;
      const t = {};
      const c = {};
      const tail = {};
      const rec = {};
      const cpu0 = s.browser.cpu.start();
      for (const v of shuffled(['ON', 'OFF'])) {
        await setup(v);
        ({ ms: t[v], cpu: c[v], cpuTail: tail[v], rec: rec[v] } = await load(v));
      }
      if (i < warmup) continue;
      measured++;
      for (const v of ['ON', 'OFF']) {
        times[v].push(t[v]);
        count[v].requests += tiles;
        count[v].logged += rec[v].logged;
        count[v].right += rec[v].right;
        count[v].stored += rec[v].stored;
      }
      logLengths.push(rec.ON.logLength);
      ratios.push(t.ON / t.OFF);
      if (c.ON && c.OFF) {
        cpuRatios.push(c.ON / c.OFF);
        for (const v of ['ON', 'OFF']) cpuMs[v].push(c[v]);
      }
      if (tail.ON && tail.OFF) {
        tailRatios.push(tail.ON / tail.OFF);
        for (const v of ['ON', 'OFF']) tailMs[v].push(tail[v]);
      }
      foreign.push(s.browser.cpu.foreignShare(cpu0));
    }
  } finally {
    // Leave the setting as it was (on, by default) and the extension Off, as the other measures expect.
    await send('saveSettings', { recordActivity: initial.recordActivity }).catch(() => undefined);
    await page.close();
    await control.close();
    await s.activate('Off');
  }

  const summary = (xs) => ({ median: median(xs), p10: percentile(xs, 10), p90: percentile(xs, 90), ci95: bootstrapMedianCi(xs) });
  const keep = foreign.map((f) => f !== null && f < 0.1);
  const quietRatios = ratios.filter((_, k) => keep[k]);
  return {
    rounds: measured,
    plannedRounds: rounds,
    warmup,
    tiles,
    settleMs,
    problems,
    count,
    logLength: { min: Math.min(...logLengths), max: Math.max(...logLengths) },
    ms: { ON: summary(times.ON), OFF: summary(times.OFF) },
    ratio: summary(ratios),
    quiet: {
      limit: 0.1,
      rounds: quietRatios.length,
      foreignMedian: median(foreign.filter((f) => f !== null)),
      ratio: quietRatios.length >= 5 ? summary(quietRatios) : null,
    },
    cpu: cpuMs.ON.length ? { ms: { ON: summary(cpuMs.ON), OFF: summary(cpuMs.OFF) }, ratio: summary(cpuRatios) } : null,
    cpuTail: tailMs.ON.length ? { ms: { ON: summary(tailMs.ON), OFF: summary(tailMs.OFF) }, ratio: summary(tailRatios) } : null,
  };
}
