/**
 * 1. Injection overhead. One page on 127.0.0.1 with `tiles` distinct <img> tiles from api.os.uk,
 * loaded in three variants, in a random order within each round, all in one browser session:
 *   A  the extension attaches the key (project A active, key-header mode; URLs carry no key)
 *   B  the extension is Off; the key is hard-coded in the URLs (?key=)
 *   C  the extension is Off; the floor extension's one static header rule is enabled
 * Time = in-page performance.now() (from navigation start) when the last image fired load/error.
 * Ratios are taken within each round (A/B, C/B, A/C), then summarised over rounds.
 */
import { bootstrapMedianCi, median, percentile, shuffled, sleep } from '../lib/stats.mjs';
import { KEY_A, PROJECT_A } from '../lib/session.mjs';

/** @param {Awaited<ReturnType<import('../lib/session.mjs').startSession>>} s */
export async function benchInjection(s, { rounds, minRounds = rounds, maxSeconds = Infinity, warmup, tiles }) {
  const started = Date.now();
  const page = await s.browser.context.newPage();
  let mainOn = false;
  let floorOn = false;
  let run = 0;
  const problems = [];

  async function setup(variant) {
    const wantMain = variant === 'A';
    const wantFloor = variant === 'C';
    // Switch off before switching on, so the two never attach at the same time.
    if (mainOn && !wantMain) await s.activate('Off');
    if (floorOn && !wantFloor) await s.browser.setFloorRuleset(false);
    if (!mainOn && wantMain) await s.activate(PROJECT_A);
    if (!floorOn && wantFloor) await s.browser.setFloorRuleset(true);
    mainOn = wantMain;
    floorOn = wantFloor;
    // Let the popup/background settle so their work does not overlap the measured load.
    await sleep(250);
  }

  async function load(variant) {
    const id = `${variant}${++run}-${Date.now().toString(36)}`;
    s.mock.clear();
    s.mock.resetRateLimits();
    await page.bringToFront();
    const cpuBefore = s.browser.cpu.browserCpuMs();
    await page.goto(s.pages.url(`/tiles?n=${tiles}&run=${id}${variant === 'B' ? `&key=${KEY_A}` : ''}`), {
      waitUntil: 'load',
      timeout: 60_000,
    });
    // The load event already waited for every image; poll only if it somehow did not (polling
    // runs in the measured page, so it is avoided on the normal path).
    let r = await page.evaluate(() => window.__bench);
    if (r.done === null) {
      await page.waitForFunction(() => window.__bench.done !== null, null, { timeout: 60_000, polling: 50 });
      r = await page.evaluate(() => window.__bench);
    }
    const cpuAfter = s.browser.cpu.browserCpuMs();
    // Check what the mock received: every tile, each with the key in the expected place.
    const got = s.mock.requests.filter((q) => q.query.r === id);
    const source = variant === 'B' ? 'query' : 'header';
    const wrong = got.filter(
      (q) => q.status !== 200 || q.credential.source !== source || q.credential.value !== KEY_A,
    ).length;
    if (r.failed || got.length !== tiles || wrong) {
      problems.push(
        `${variant} run ${run}: ${r.loaded} loaded, ${r.failed} failed, mock saw ${got.length}/${tiles}, ${wrong} without the key as ${source}`,
      );
    }
    return { ms: r.done, cpu: cpuBefore === null ? null : cpuAfter - cpuBefore };
  }

  const times = { A: [], B: [], C: [] };
  const ratios = { AB: [], CB: [], AC: [] };
  /** Browser CPU time per load (all its processes), and its ratios: less sensitive to other load on the machine than wall time. */
  const cpuMs = { A: [], B: [], C: [] };
  const cpuRatios = { AB: [], CB: [], AC: [] };
  /** Share of the CPU other processes took during each round (null where unknown). */
  const foreign = [];
  let measured = 0;
  for (let i = 0; i < warmup + rounds; i++) {
    // A busy machine makes loads slow: stop early (but not before minRounds) to bound the wall time.
    if (measured >= minRounds && (Date.now() - started) / 1000 > maxSeconds) break;
    const t = {};
    const c = {};
    const cpu0 = s.browser.cpu.start();
    for (const v of shuffled(['A', 'B', 'C'])) {
      await setup(v);
      ({ ms: t[v], cpu: c[v] } = await load(v));
    }
    if (i < warmup) continue;
    measured++;
    for (const v of ['A', 'B', 'C']) times[v].push(t[v]);
    ratios.AB.push(t.A / t.B);
    ratios.CB.push(t.C / t.B);
    ratios.AC.push(t.A / t.C);
    if (c.A && c.B && c.C) {
      cpuRatios.AB.push(c.A / c.B);
      cpuRatios.CB.push(c.C / c.B);
      cpuRatios.AC.push(c.A / c.C);
      for (const v of ['A', 'B', 'C']) cpuMs[v].push(c[v]);
    }
    foreign.push(s.browser.cpu.foreignShare(cpu0));
  }
  await setup('B'); // leave everything Off
  await page.close();

  const summary = (xs) => ({
    median: median(xs),
    p10: percentile(xs, 10),
    p90: percentile(xs, 90),
    ci95: bootstrapMedianCi(xs),
  });
  return {
    rounds: measured,
    plannedRounds: rounds,
    warmup,
    tiles,
    problems,
    ms: { A: summary(times.A), B: summary(times.B), C: summary(times.C) },
    ratio: { AB: summary(ratios.AB), CB: summary(ratios.CB), AC: summary(ratios.AC) },
    quiet: quietRounds(ratios, foreign, summary),
    cpu: cpuMs.A.length
      ? {
          ms: { A: summary(cpuMs.A), B: summary(cpuMs.B), C: summary(cpuMs.C) },
          ratio: { AB: summary(cpuRatios.AB), CB: summary(cpuRatios.CB), AC: summary(cpuRatios.AC) },
        }
      : null,
  };
}

/** The ratios again over the rounds in which other processes took under 10 % of the CPU. */
function quietRounds(ratios, foreign, summary, limit = 0.1) {
  const keep = foreign.map((f) => f !== null && f < limit);
  const n = keep.filter(Boolean).length;
  const pick = (xs) => xs.filter((_, i) => keep[i]);
  return {
    limit,
    rounds: n,
    foreignMedian: median(foreign.filter((f) => f !== null)),
    ratio: n >= 5 ? { AB: summary(pick(ratios.AB)), CB: summary(pick(ratios.CB)), AC: summary(pick(ratios.AC)) } : null,
  };
}
