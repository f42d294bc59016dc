/**
 * 8. Activity grid with a full log. The activity log is cleared, then filled with `entries` real
 * requests (the log keeps the last 3,000): a page on 127.0.0.1 fetches them from api.os.uk (the
 * mock) with project A active, `concurrency` at a time, a mix of tiles (200), Names searches (200)
 * and a path the mock does not know (404, so the grid has failures to group). The bench waits
 * until the background's `getActivity` returns them all.
 * Then, `runs` times, the options page is opened at #activity in a fresh 1280×800 tab:
 * - first rows: in-page performance.now() (from navigation start) when the grid's first request
 *   row is in the DOM, polled every animation frame (so up to one frame late), with the count
 *   line checked to say all of them are loaded;
 * - rows in the DOM: how many request rows are drawn (only those in view should be);
 * - scroll: the grid is scrolled from top to bottom in `steps` steps of equal size (set in
 *   requestAnimationFrame: 3,000 rows in 240 frames is about 300 px a frame, a fast flick), and the
 *   interval between successive frames is recorded; a frame well over 16.7 ms is one the user sees
 *   as a stutter; the scroll must reach the bottom;
 * - long tasks: the longest main-thread task (PerformanceObserver 'longtask', ≥ 50 ms by
 *   definition) during the load and during the scroll.
 */
import { median, percentile } from '../lib/stats.mjs';
import { PROJECT_A } from '../lib/session.mjs';

/** Runs in the extension page: one message to the background, unwrapped. */
async function message({ type, args }) {
  const reply = await chrome.runtime.sendMessage({ channel: 'os-api-keyring', type, args });
  if (!reply) throw new Error(`${type}: no reply`);
  if (!reply.ok) throw new Error(`${type}: ${reply.error?.message ?? JSON.stringify(reply.error)}`);
  return reply.value;
}

/** Runs in the local page: `n` fetches to api.os.uk, `concurrency` at a time; returns status counts. */
async function fetchMany({ n, concurrency }) {
  const statuses = {};
  let next = 0;
  const url = (i) =>
    i % 10 === 9
      ? `https://api.os.uk/bench/no-such-api/${i}`
      : i % 10 === 8
        ? `https://api.os.uk/search/names/v1/find?query=bench${i}&maxresults=1`
        : `https://api.os.uk/maps/raster/v1/zxy/Road_3857/12/${2000 + (i % 50)}/${1300 + Math.floor(i / 50)}.png?grid=${i}`;
  async function worker() {
    while (next < n) {
      const i = next++;
      let status = 0;
      try {
        const res = await fetch(url(i), { cache: 'no-store' });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

/** Installed before the options page's own scripts: records long tasks from navigation start. */
function recordLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** Runs in the options page: scroll the grid to the bottom in `steps` frames; frame intervals in ms. */
async function scrollGrid({ steps }) {
  const el = document.querySelector('.grid-scroll');
  if (!el) throw new Error('no .grid-scroll');
  el.scrollTop = 0;
  const stepPx = Math.ceil((el.scrollHeight - el.clientHeight) / steps);
  const maxFrames = steps * 2;
  const longFrom = performance.now();
  const frames = [];
  await new Promise((resolve) => {
    let last = null;
    const tick = (t) => {
      if (last !== null) frames.push(t - last);
      last = t;
      const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      if (atBottom || frames.length >= maxFrames) return resolve();
      el.scrollTop += stepPx;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  // Let the frame after the last scroll draw its rows.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const longTasks = window.__longTasks.filter((t) => t.start >= longFrom).map((t) => t.duration);
  return {
    frames,
    stepPx,
    reachedBottom: el.scrollTop + el.clientHeight >= el.scrollHeight - 1,
    longestTask: longTasks.length ? Math.max(...longTasks) : 0,
  };
}

/** @param {Awaited<ReturnType<import('../lib/session.mjs').startSession>>} s */
export async function benchActivityGrid(s, { entries = 3000, concurrency = 12, runs, steps = 240 }) {
  await s.activate(PROJECT_A);
  // The popup polls the background every 2 s: closed while measuring, like the other benches.
  await s.closePopup();
  const control = await s.browser.context.newPage();
  await control.goto(`chrome-extension://${s.browser.mainId}/manifest.json`);
  const send = (type, args) => control.evaluate(message, { type, args });
  const settings = await send('getSettings', {});
  if (!settings.recordActivity) throw new Error('Record activity is off: nothing would be logged');
  await send('clearActivity', {});

  const filler = await s.browser.context.newPage();
  await filler.goto(s.pages.url('/'));
  const t0 = Date.now();
  const statuses = await filler.evaluate(fetchMany, { n: entries, concurrency });
  const fillSeconds = (Date.now() - t0) / 1000;
  await filler.close();
  // The monitor records on onCompleted; wait until every request is in the log.
  const deadline = Date.now() + 30_000;
  let logged = 0;
  while ((logged = (await send('getActivity', {})).rows.length) < entries) {
    if (Date.now() > deadline) throw new Error(`only ${logged} of ${entries} requests reached the activity log`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const firstRowMs = [];
  const domRows = [];
  const frames = [];
  const loadLongest = [];
  const scrollLongest = [];
  const problems = [];
  let stepPx = 0;
  for (let run = 0; run < runs; run++) {
    const page = await s.browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    // The tab in front, as the user's is: a tab behind others gets throttled animation frames.
    await page.bringToFront();
    await page.addInitScript(recordLongTasks);
    await page.goto(`chrome-extension://${s.browser.mainId}/src/options/index.html#activity`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(
      () => (document.querySelector('table.activity tbody tr.row') ? performance.now() : null),
      null,
      { polling: 'raf', timeout: 30_000 },
    );
    firstRowMs.push(await handle.jsonValue());
    const count = (await page.locator('#activity-count').textContent()) ?? '';
    // "Showing N of M requests.": all of them loaded (the extension's own requests are hidden, so N ≤ M).
    const total = Number(/of ([\d,]+) request/.exec(count)?.[1]?.replace(/,/g, '') ?? NaN);
    if (total < entries) problems.push(`run ${run + 1}: the grid says "${count}"`);
    domRows.push(await page.locator('table.activity tbody tr.row').count());
    loadLongest.push(await page.evaluate(() => Math.max(0, ...window.__longTasks.map((t) => t.duration))));
    const scrolled = await page.evaluate(scrollGrid, { steps });
    stepPx = scrolled.stepPx;
    if (!scrolled.reachedBottom)
      problems.push(`run ${run + 1}: the scroll stopped before the bottom (${scrolled.frames.length} frames)`);
    frames.push(...scrolled.frames);
    scrollLongest.push(scrolled.longestTask);
    await page.close();
  }
  await control.close();
  return {
    entries,
    fillSeconds,
    statuses,
    runs,
    stepPx,
    firstRow: { median: median(firstRowMs), max: Math.max(...firstRowMs), all: firstRowMs },
    domRows: Math.max(...domRows),
    frames: {
      count: frames.length,
      median: median(frames),
      p95: percentile(frames, 95),
      p99: percentile(frames, 99),
      max: Math.max(...frames),
      over50: frames.filter((f) => f > 50).length,
    },
    longestTask: { load: Math.max(...loadLongest), scroll: Math.max(...scrollLongest) },
    problems,
  };
}
