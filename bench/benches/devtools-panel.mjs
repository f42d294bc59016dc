/**
 * 9. The DevTools "OS API" panel's cost (issue 17): page load with the panel open vs closed.
 *
 * DevTools' own frontend does not show an extension's panel in headless Chromium
 * (docs/devtools-panel.md), so "open" here is the closest honest thing: the real built panel page
 * (src/devtools/panel.html, an extension page in the same browser, talking to the real
 * background) fed, as the tile page loads, the HAR entry of each of its finished api.os.uk
 * requests, the way `devtools.network.onRequestFinished` hands them to a panel. The entries are
 * built from Chromium's own Network events for the tab (CDP, what DevTools records when it is
 * open), forwarded in batches every 25 ms. Only the `devtools` namespace is stood in.
 *
 * The same tile page as 1 and 7 (`tiles` distinct <img> tiles, project A attaching the key), in
 * three variants, in a random order within each round, in one browser session:
 *   CLOSED    no DevTools: nothing records the tab's network (what users have almost always)
 *   DEVTOOLS  the tab's network recorded over CDP (DevTools open, on another panel), no panel page
 *   PANEL     the same recording, and the panel page open and fed every finished request
 * PANEL/DEVTOOLS is the panel's own cost; PANEL/CLOSED what a user sees opening DevTools on the
 * OS API panel (including DevTools' recording, as far as CDP's Network domain is it).
 * Time = in-page performance.now() when the last image fired load/error (as in 1). Browser CPU =
 * all the browser's processes over the load (the panel page's renderer included). After each
 * PANEL load the bench waits until the panel lists every tile with its credential (read from the
 * activity log), and records how long after the page's last tile that was: the panel's lag.
 */
import { recordApiRequests } from '../../scripts/cdp-har.mjs';
import { KEY_A, PROJECT_A } from '../lib/session.mjs';
import { bootstrapMedianCi, median, percentile, shuffled, sleep } from '../lib/stats.mjs';

/** @param {Awaited<ReturnType<import('../lib/session.mjs').startSession>>} s */
export async function benchDevtoolsPanel(s, { rounds, warmup, tiles }) {
  await s.activate(PROJECT_A);
  await s.closePopup();
  const page = await s.browser.context.newPage();
  const panel = await s.browser.context.newPage();
  let run = 0;
  const problems = [];

  // Find the tile tab's id (the panel's inspected tab): the activity log books each request to its tab.
  const control = await s.browser.context.newPage();
  await control.goto(`chrome-extension://${s.browser.mainId}/manifest.json`);
  const probe = `probe-${Date.now().toString(36)}`;
  await page.goto(s.pages.url(`/tiles?n=1&run=${probe}`), { waitUntil: 'load' });
  let tabId = null;
  for (let i = 0; i < 50 && tabId === null; i++) {
    const { rows } = await control.evaluate(async () => {
      const reply = await chrome.runtime.sendMessage({
        channel: 'os-api-keyring',
        type: 'getActivity',
        args: { limit: 50 },
      });
      return reply.value;
    });
    tabId = rows.find((r) => r.path.includes(probe))?.tabId ?? null;
    if (tabId === null) await sleep(100);
  }
  await control.close();
  if (tabId === null) throw new Error('the tile tab was not found in the activity log');

  // The panel page, with `devtools` stood in: listeners are kept so the bench can call them.
  await panel.addInitScript((inspected) => {
    const finished = [];
    const navigated = [];
    window.__devtools = {
      finish: (list) => {
        for (const entry of list) for (const f of finished) f({ ...entry, getContent: (cb) => cb('', '') });
      },
      navigate: (url) => navigated.forEach((f) => f(url)),
    };
    const fake = {
      inspectedWindow: { tabId: inspected },
      network: {
        onRequestFinished: {
          addListener: (f) => finished.push(f),
          removeListener: (f) => finished.splice(finished.indexOf(f) >>> 0, 1),
        },
        onNavigated: {
          addListener: (f) => navigated.push(f),
          removeListener: (f) => navigated.splice(navigated.indexOf(f) >>> 0, 1),
        },
      },
    };
    for (const ns of [globalThis.chrome, globalThis.browser].filter(Boolean)) ns.devtools = fake;
  }, tabId);
  await panel.goto(`chrome-extension://${s.browser.mainId}/src/devtools/panel.html`);
  await panel.getByRole('table', { name: 'OS API requests' }).waitFor();

  // The tab's network, recorded over CDP as DevTools does; entries go to the panel only in PANEL rounds.
  const cdp = await s.browser.context.newCDPSession(page);
  let forward = false;
  let batch = [];
  let recording = false;
  recordApiRequests(
    cdp,
    (entry) => {
      if (forward) batch.push(entry);
    },
    () => recording,
  );
  let flushing = null;
  const flush = async () => {
    if (!batch.length) return;
    const list = batch;
    batch = [];
    await panel.evaluate((l) => window.__devtools.finish(l), list);
  };
  const timer = setInterval(() => {
    flushing ??= flush().finally(() => (flushing = null));
  }, 25);

  async function setup(variant) {
    if (variant === 'CLOSED' && recording) {
      await cdp.send('Network.disable');
      recording = false;
    } else if (variant !== 'CLOSED' && !recording) {
      await cdp.send('Network.enable');
      recording = true;
    }
    forward = variant === 'PANEL';
    await sleep(250);
  }

  const panelRows = () =>
    panel.evaluate(() => {
      const trs = [...document.querySelectorAll('table.requests tbody tr')];
      return {
        rows: trs.length,
        attributed: trs.filter((tr) => tr.querySelectorAll('td')[7]?.textContent === 'Bench A (Key header)').length,
      };
    });

  async function load(variant) {
    const id = `${variant}${++run}-${Date.now().toString(36)}`;
    s.mock.clear();
    s.mock.resetRateLimits();
    // A navigation clears the panel's list (no "Preserve log"), as DevTools reports it.
    if (variant === 'PANEL') await panel.evaluate(() => window.__devtools.navigate('about:blank'));
    await page.bringToFront();
    const cpuBefore = s.browser.cpu.browserCpuMs();
    await page.goto(s.pages.url(`/tiles?n=${tiles}&run=${id}`), { waitUntil: 'load', timeout: 60_000 });
    let r = await page.evaluate(() => window.__bench);
    if (r.done === null) {
      await page.waitForFunction(() => window.__bench.done !== null, null, { timeout: 60_000, polling: 50 });
      r = await page.evaluate(() => window.__bench);
    }
    const cpuAfter = s.browser.cpu.browserCpuMs();
    const doneAt = Date.now();
    const got = s.mock.requests.filter((q) => q.query.r === id);
    const wrong = got.filter(
      (q) => q.status !== 200 || q.credential.source !== 'header' || q.credential.value !== KEY_A,
    ).length;
    if (r.failed || got.length !== tiles || wrong)
      problems.push(
        `${variant} run ${run}: ${r.loaded} loaded, ${r.failed} failed, mock saw ${got.length}/${tiles}, ${wrong} without the key`,
      );
    let lag = null;
    if (variant === 'PANEL') {
      // Every tile listed, each with the credential it carried (the panel asks the activity log).
      const deadline = Date.now() + 20_000;
      let p = await panelRows();
      while ((p.rows !== tiles || p.attributed !== tiles) && Date.now() < deadline) {
        await sleep(20);
        p = await panelRows();
      }
      lag = Date.now() - doneAt;
      if (p.rows !== tiles || p.attributed !== tiles)
        problems.push(
          `PANEL run ${run}: the panel listed ${p.rows} of ${tiles}, ${p.attributed} attributed to ${PROJECT_A}`,
        );
    }
    return { ms: r.done, cpu: cpuBefore === null ? null : cpuAfter - cpuBefore, lag };
  }

  const V = ['CLOSED', 'DEVTOOLS', 'PANEL'];
  const times = { CLOSED: [], DEVTOOLS: [], PANEL: [] };
  const cpu = { CLOSED: [], DEVTOOLS: [], PANEL: [] };
  const ratios = { 'PANEL/CLOSED': [], 'PANEL/DEVTOOLS': [], 'DEVTOOLS/CLOSED': [] };
  const cpuRatios = { 'PANEL/CLOSED': [], 'PANEL/DEVTOOLS': [], 'DEVTOOLS/CLOSED': [] };
  const lags = [];
  try {
    for (let i = 0; i < warmup + rounds; i++) {
      const t = {};
      const c = {};
      for (const v of shuffled(V)) {
        await setup(v);
        const out = await load(v);
        t[v] = out.ms;
        c[v] = out.cpu;
        if (v === 'PANEL' && i >= warmup) lags.push(out.lag);
      }
      if (i < warmup) continue;
      for (const v of V) times[v].push(t[v]);
      for (const k of Object.keys(ratios)) {
        const [a, b] = k.split('/');
        ratios[k].push(t[a] / t[b]);
        if (c[a] && c[b]) cpuRatios[k].push(c[a] / c[b]);
      }
      for (const v of V) if (c[v] !== null) cpu[v].push(c[v]);
    }
  } finally {
    clearInterval(timer);
    await flushing;
    await cdp.detach().catch(() => undefined);
    await panel.close();
    await page.close();
  }
  const summary = (xs) => ({
    median: median(xs),
    p10: percentile(xs, 10),
    p90: percentile(xs, 90),
    ci95: bootstrapMedianCi(xs),
  });
  const each = (o) => Object.fromEntries(Object.entries(o).map(([k, xs]) => [k, summary(xs)]));
  return {
    rounds,
    warmup,
    tiles,
    problems,
    ms: each(times),
    ratio: each(ratios),
    cpu: cpu.CLOSED.length ? { ms: each(cpu), ratio: each(cpuRatios) } : null,
    lag: summary(lags),
  };
}
