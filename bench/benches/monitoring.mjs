/**
 * 7. Monitoring cost. The same tile page as 1 (`tiles` distinct <img> tiles from api.os.uk, on
 * 127.0.0.1), loaded with project A attaching the key (key-header mode) in three variants, in a
 * random order within each round, in the same browser session:
 *   ON     "Record activity" on, "Record durations" on (the defaults): the background's
 *          non-blocking webRequest listeners observe every tile request twice (onBeforeRequest
 *          to time it, onCompleted/onErrorOccurred to record it: activity log, usage counts, alerts)
 *   LIGHT  "Record activity" on, "Record durations" off: only onCompleted/onErrorOccurred, one
 *          event per request; entries are recorded with durationMs null
 *   OFF    "Record activity" off: the listeners are removed
 * The settings are changed with the `saveSettings` message (what the options page sends), from an
 * extension page that runs no app of its own (the extension's manifest.json in a tab); the popup
 * tab is closed while measuring, since it polls the background every 2 s.
 * Time = in-page performance.now() (from navigation start) when the last image fired load/error,
 * as in 1. The ON/OFF, LIGHT/OFF and ON/LIGHT ratios are taken within each round, then summarised
 * over rounds.
 * Browser CPU is taken over the load, and over the load plus a settle period long enough for the
 * monitor's batched storage write (FLUSH_MS = 1 s) to have happened: the monitor's whole cost.
 * The same CPU is also split by process type (bench/lib/cpu.mjs): the extension's own renderer
 * (the one running its service worker, found by a busy loop run in the worker before the rounds
 * and again after them), the browser process, the network service, the page renderers, and the
 * rest; per variant, and as per-round differences ON − OFF, LIGHT − OFF and ON − LIGHT.
 * After every load the bench checks what was recorded: in ON and LIGHT rounds every tile must be in
 * the activity log (`getActivity`) and in the log written to chrome.storage.session (`activityLog`),
 * booked to project A with status 200, with a duration in ON and with durationMs null in LIGHT; in
 * OFF rounds none.
 */
import { cpuByType, PROCESS_TYPES } from '../lib/cpu.mjs';
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
export async function benchMonitoring(
  s,
  { rounds, minRounds = rounds, maxSeconds = Infinity, warmup, tiles, settleMs = 1500 },
) {
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

  /** The settings each variant needs; OFF leaves "Record durations" as it is (it has no effect then). */
  const SETTINGS = {
    ON: { recordActivity: true, recordDurations: true },
    LIGHT: { recordActivity: true, recordDurations: false },
    OFF: { recordActivity: false },
  };
  /** What the background last confirmed: { recordActivity, recordDurations }, or null before the first switch. */
  let current = null;

  /**
   * The extension's own renderer: the extension process that gains the CPU of a busy loop run in
   * its service worker (the floor extension has a renderer of its own). Its CPU is booked as
   * 'extension'; null when not found (then every extension renderer is).
   */
  const SPIN_MS = 300;
  const findExtensionProcess = () =>
    s.browser.cpu.extensionRendererRunning(async () =>
      (await s.browser.worker(s.browser.mainId)).evaluate((ms) => {
        const end = performance.now() + ms;
        while (performance.now() < end);
      }, SPIN_MS),
    );
  const extensionFound = await findExtensionProcess();
  const extensionPid = extensionFound && extensionFound.ms >= SPIN_MS / 2 ? extensionFound.pid : null;
  if (extensionFound && extensionPid === null)
    problems.push(`extension process not identified (the busy loop's ${SPIN_MS} ms showed as ${extensionFound.ms} ms)`);

  async function setup(variant) {
    const want = SETTINGS[variant];
    if (!current || Object.entries(want).some(([k, v]) => current[k] !== v)) {
      const saved = await send('saveSettings', want);
      // The background answers saveSettings after applying it; confirm it says so.
      const now = (await send('getActivity', { limit: 1 })).recording;
      if (now !== want.recordActivity || Object.entries(want).some(([k, v]) => saved[k] !== v)) {
        throw new Error(
          `Settings did not switch to ${variant} (saved ${JSON.stringify(saved)}; background says recording: ${now})`,
        );
      }
      current = { recordActivity: saved.recordActivity, recordDurations: saved.recordDurations };
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
    const stored = await (
      await s.browser.worker(s.browser.mainId)
    ).evaluate(async (prefix) => {
      const all = await chrome.storage.session.get(null);
      return Object.entries(all)
        .filter(([k, v]) => k.startsWith(prefix) && Array.isArray(v))
        .flatMap(([, v]) =>
          v.map((e) => ({ path: e.path, timed: e.durationMs !== null && e.durationMs !== undefined })),
        );
    }, 'activityLog.');
    const storedMine = stored.filter((e) => mine(e.path));
    return {
      logged: logged.length,
      right: logged.filter((x) => x.status === 200 && x.projectName === PROJECT_A && x.mode === 'header').length,
      /** Rows with a duration (durationMs not null). */
      timed: logged.filter((x) => x.durationMs !== null && x.durationMs !== undefined).length,
      stored: storedMine.length,
      storedTimed: storedMine.filter((e) => e.timed).length,
      logLength: stored.length,
    };
  }

  async function load(variant) {
    const id = `${variant}${++run}-${Date.now().toString(36)}`;
    s.mock.clear();
    s.mock.resetRateLimits();
    await page.bringToFront();
    const cpuBefore = s.browser.cpu.processes();
    await page.goto(s.pages.url(`/tiles?n=${tiles}&run=${id}`), { waitUntil: 'load', timeout: 60_000 });
    let r = await page.evaluate(() => window.__bench);
    if (r.done === null) {
      await page.waitForFunction(() => window.__bench.done !== null, null, { timeout: 60_000, polling: 50 });
      r = await page.evaluate(() => window.__bench);
    }
    const cpuAfter = s.browser.cpu.processes();
    // The same wait after every variant: ON's and LIGHT's batched write to storage.session happens in it.
    await sleep(settleMs);
    const cpuSettled = s.browser.cpu.processes();
    const got = s.mock.requests.filter((q) => q.query.r === id);
    const wrong = got.filter(
      (q) => q.status !== 200 || q.credential.source !== 'header' || q.credential.value !== KEY_A,
    ).length;
    if (r.failed || got.length !== tiles || wrong) {
      problems.push(
        `${variant} run ${run}: ${r.loaded} loaded, ${r.failed} failed, mock saw ${got.length}/${tiles}, ${wrong} without the key as header`,
      );
    }
    const rec = await recorded(id);
    const want = variant === 'OFF' ? 0 : tiles;
    // ON times every request; LIGHT none (durationMs null), in the log and in its stored copy.
    const wantTimed = variant === 'ON' ? tiles : 0;
    if (
      rec.logged !== want ||
      rec.stored !== want ||
      rec.right !== want ||
      rec.timed !== wantTimed ||
      rec.storedTimed !== wantTimed
    ) {
      problems.push(
        `${variant} run ${run}: ${rec.logged} of ${tiles} in the activity log (${rec.right} as 200 for ${PROJECT_A}, ${rec.timed} with a duration), ` +
          `${rec.stored} in storage.session (${rec.storedTimed} with a duration); expected ${want} (${wantTimed} with a duration)`,
      );
    }
    // Totals: all the browser's processes alive at each reading (as browserCpuMs); split: per process, what it gained.
    const total = (snap) => [...snap.values()].reduce((a, p) => a + p.ms, 0);
    const cpu = cpuBefore === null ? null : total(cpuAfter) - total(cpuBefore);
    const cpuTail = cpuBefore === null ? null : total(cpuSettled) - total(cpuBefore);
    const split = cpuBefore === null ? null : cpuByType(cpuBefore, cpuSettled, extensionPid);
    const splitLoad = cpuBefore === null ? null : cpuByType(cpuBefore, cpuAfter, extensionPid);
    return { ms: r.done, cpu, cpuTail, split, splitLoad, rec };
  }

  const VARIANTS = ['ON', 'LIGHT', 'OFF'];
  /** Ratios taken within each round: each monitoring variant over OFF, and ON over LIGHT (the second event's share). */
  const PAIRS = [
    ['ON', 'OFF'],
    ['LIGHT', 'OFF'],
    ['ON', 'LIGHT'],
  ];
  const perVariant = () => Object.fromEntries(VARIANTS.map((v) => [v, []]));
  const perPair = () => Object.fromEntries(PAIRS.map(([a, b]) => [`${a}/${b}`, []]));
  const times = perVariant();
  const ratios = perPair();
  const cpuMs = perVariant();
  const cpuRatios = perPair();
  const tailMs = perVariant();
  const tailRatios = perPair();
  const foreign = [];
  /** Per process type: CPU ms per load (load + settle, and load only) per variant, and per-round differences per pair. */
  const DIFFS = [
    ['ON', 'OFF'],
    ['LIGHT', 'OFF'],
    ['ON', 'LIGHT'],
  ];
  const perType = () => Object.fromEntries(PROCESS_TYPES.map((t) => [t, []]));
  const splitMs = Object.fromEntries(VARIANTS.map((v) => [v, perType()]));
  const splitLoadMs = Object.fromEntries(VARIANTS.map((v) => [v, perType()]));
  const splitDiff = Object.fromEntries(DIFFS.map(([a, b]) => [`${a}−${b}`, perType()]));
  /** Over the measured rounds: tiles requested, logged (as 200 for A, with a duration) and stored per variant; the log's length after each recording load. */
  const count = Object.fromEntries(
    VARIANTS.map((v) => [v, { requests: 0, logged: 0, right: 0, timed: 0, stored: 0, storedTimed: 0 }]),
  );
  const logLengths = [];
  let measured = 0;
  let extensionAtEnd = null;
  /** Push per-variant values and their per-pair ratios, if every variant has one. */
  const book = (x, into, intoRatios) => {
    if (!VARIANTS.every((v) => x[v])) return;
    for (const v of VARIANTS) into[v].push(x[v]);
    for (const [a, b] of PAIRS) intoRatios[`${a}/${b}`].push(x[a] / x[b]);
  };
  try {
    for (let i = 0; i < warmup + rounds; i++) {
      if (measured >= minRounds && (Date.now() - started) / 1000 > maxSeconds) break;
      const t = {};
      const c = {};
      const tail = {};
      const rec = {};
      const split = {};
      const splitLoad = {};
      const cpu0 = s.browser.cpu.start();
      for (const v of shuffled(VARIANTS)) {
        await setup(v);
        ({
          ms: t[v],
          cpu: c[v],
          cpuTail: tail[v],
          split: split[v],
          splitLoad: splitLoad[v],
          rec: rec[v],
        } = await load(v));
      }
      if (i < warmup) continue;
      measured++;
      for (const v of VARIANTS) {
        times[v].push(t[v]);
        count[v].requests += tiles;
        for (const k of ['logged', 'right', 'timed', 'stored', 'storedTimed']) count[v][k] += rec[v][k];
      }
      logLengths.push(rec.ON.logLength, rec.LIGHT.logLength);
      for (const [a, b] of PAIRS) ratios[`${a}/${b}`].push(t[a] / t[b]);
      book(c, cpuMs, cpuRatios);
      book(tail, tailMs, tailRatios);
      if (VARIANTS.every((v) => split[v])) {
        for (const v of VARIANTS) {
          for (const type of PROCESS_TYPES) {
            splitMs[v][type].push(split[v][type]);
            splitLoadMs[v][type].push(splitLoad[v][type]);
          }
        }
        for (const [a, b] of DIFFS)
          for (const type of PROCESS_TYPES) splitDiff[`${a}−${b}`][type].push(split[a][type] - split[b][type]);
      }
      foreign.push(s.browser.cpu.foreignShare(cpu0));
    }
    // The worker must still be in the same process, or the split booked the wrong one as 'extension'.
    if (extensionPid !== null) {
      extensionAtEnd = await findExtensionProcess();
      if (extensionAtEnd?.pid !== extensionPid)
        problems.push(
          `extension process changed during the rounds (pid ${extensionPid} before, ${extensionAtEnd?.pid ?? 'none'} after)`,
        );
    }
  } finally {
    // Leave the settings as they were (both on, by default) and the extension Off, as the other measures expect.
    await send('saveSettings', {
      recordActivity: initial.recordActivity,
      recordDurations: initial.recordDurations ?? true,
    }).catch(() => undefined);
    await page.close();
    await control.close();
    await s.activate('Off');
  }

  const summary = (xs) => ({
    median: median(xs),
    p10: percentile(xs, 10),
    p90: percentile(xs, 90),
    ci95: bootstrapMedianCi(xs),
  });
  const each = (o, f) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)]));
  const keep = foreign.map((f) => f !== null && f < 0.1);
  const quietRounds = keep.filter(Boolean).length;
  return {
    rounds: measured,
    plannedRounds: rounds,
    warmup,
    tiles,
    settleMs,
    problems,
    count,
    logLength: { min: Math.min(...logLengths), max: Math.max(...logLengths) },
    ms: each(times, summary),
    /** Keyed 'ON/OFF', 'LIGHT/OFF', 'ON/LIGHT'. */
    ratio: each(ratios, summary),
    quiet: {
      limit: 0.1,
      rounds: quietRounds,
      foreignMedian: median(foreign.filter((f) => f !== null)),
      ratio: quietRounds >= 5 ? each(ratios, (xs) => summary(xs.filter((_, k) => keep[k]))) : null,
    },
    cpu: cpuMs.ON.length ? { ms: each(cpuMs, summary), ratio: each(cpuRatios, summary) } : null,
    cpuTail: tailMs.ON.length ? { ms: each(tailMs, summary), ratio: each(tailRatios, summary) } : null,
    /**
     * Browser CPU per load by process type (PROCESS_TYPES), over load + settle (`ms`, `diff`) and
     * load only (`loadMs`): per variant, and per-round differences keyed 'ON−OFF', 'LIGHT−OFF', 'ON−LIGHT'.
     */
    cpuSplit: splitMs.ON.browser.length
      ? {
          types: PROCESS_TYPES,
          extensionPid,
          spinMs: SPIN_MS,
          extensionFound,
          extensionAtEnd,
          ms: each(splitMs, (o) => each(o, summary)),
          loadMs: each(splitLoadMs, (o) => each(o, summary)),
          diff: each(splitDiff, (o) => each(o, summary)),
        }
      : null,
  };
}
