/** The results table (console and docs/benchmarks.md) and the details under it. */
import { fmt } from './stats.mjs';

const ms = (x) => `${fmt(x, 1)} ms`;
const ratio = (r) => `${fmt(r.median, 3)} (p10–p90 ${fmt(r.p10, 3)}–${fmt(r.p90, 3)})`;
const bytes = (n) => `${n.toLocaleString('en-GB')} B`;

/** Budgets, as stated in issue #8. */
export const BUDGETS = {
  injectionRatio: 1.03,
  injectionOverFloor: 1.01,
  switchP95: 50,
  popupGzip: 20_000,
  popupMs: 100,
  backgroundMs: 100,
  scaleMs: 150,
  /** Requests sent with an expired or missing token. */
  tokenBad: 0,
  /** Activity grid, 3,000 entries: first rows drawn within a second of opening (RAIL's load goal). */
  gridFirstRowMs: 1000,
  /** …and scrolling it: 95 % of frames within 50 ms (a long task is 50 ms; more is a visible stutter). */
  gridFrameP95Ms: 50,
  /** Monitoring: no measurable delay, i.e. the 95 % CI of the median ON/OFF (and LIGHT/OFF) ratio reaches down to this. */
  monitoringRatio: 1.0,
};

/** Measure 7's process types (bench/lib/cpu.mjs PROCESS_TYPES), as the report names them. */
const PROCESS_LABEL = { extension: 'extension', browser: 'browser', network: 'network', page: 'page', other: 'other' };
const PROCESS_WHAT = {
  extension: "the extension's own renderer (its service worker; `--extension-process`)",
  browser: 'the browser process',
  network: 'the network service (`--utility-sub-type=network.mojom.NetworkService`)',
  page: 'the page renderers (the tile page; other tabs idle)',
  other:
    "the rest: GPU process, storage service, zygotes, the browser's WebUI renderer, the floor extension's renderer",
};

const seconds = (x) => `${fmt(x / 1000, 2)} s`;
const count = (n) => n.toLocaleString('en-GB');

/** @returns {{ n: string, measure: string, result: string, budget: string, verdict: string }[]} */
export function tableRows(r, { smoke = false } = {}) {
  const rows = [];
  // A smoke pass has too few runs to judge a budget.
  const verdict = (ok) => (smoke ? 'smoke' : ok ? 'within' : 'MISSED');
  const err = (n, measure, e, budget) => rows.push({ n, measure, result: `error: ${e}`, budget, verdict: '–' });

  if (r.injection?.error) err('1', 'Injection overhead', r.injection.error, 'A/B ≤ 1.03, or A/C ≤ 1.01');
  else if (r.injection) {
    const i = r.injection;
    // "A/B ≤ 1.03, or within 1 % of the floor C/B": median A/B ≤ 1.03, or median A/B ≤ 1.01 × median C/B.
    // Within: A/B ≤ 1.03, or A within 1 % of the floor, i.e. the per-round A/C ≤ 1.01.
    const ok = i.ratio.AB.median <= BUDGETS.injectionRatio || i.ratio.AC.median <= BUDGETS.injectionOverFloor;
    // Over both limits, but a 95 % interval of a median still reaches below its limit: too noisy to call.
    const unsure =
      !ok && (i.ratio.AB.ci95[0] <= BUDGETS.injectionRatio || i.ratio.AC.ci95[0] <= BUDGETS.injectionOverFloor);
    rows.push({
      n: '1',
      measure: `Injection overhead, A/B (${i.tiles} tiles, ${i.rounds} rounds)`,
      result: ratio(i.ratio.AB),
      budget: 'A/B ≤ 1.03, or A/C ≤ 1.01',
      verdict: unsure && !smoke ? 'over, not significant' : verdict(ok),
    });
    rows.push({
      n: '1',
      measure: 'Injection floor, C/B (one static rule)',
      result: ratio(i.ratio.CB),
      budget: '–',
      verdict: '–',
    });
    rows.push({
      n: '1',
      measure: 'Injection over floor, A/C',
      result: ratio(i.ratio.AC),
      budget: '(A within 1 % of floor)',
      verdict: '–',
    });
    if (i.cpu) {
      const c = i.cpu.ratio;
      rows.push({
        n: '1',
        measure: 'Browser CPU per load, A/B · C/B · A/C',
        result: `${fmt(c.AB.median, 3)} · ${fmt(c.CB.median, 3)} · ${fmt(c.AC.median, 3)}`,
        budget: '–',
        verdict: '–',
      });
    }
    rows.push({
      n: '1',
      measure: 'Page load medians A / B / C',
      result: `${fmt(i.ms.A.median, 0)} / ${fmt(i.ms.B.median, 0)} / ${fmt(i.ms.C.median, 0)} ms`,
      budget: '–',
      verdict: '–',
    });
  }

  if (r.switch?.error) err('2', 'Switch latency', r.switch.error, 'p95 ≤ 50 ms');
  else if (r.switch) {
    const s = r.switch;
    rows.push({
      n: '2',
      measure: `Switch latency, click → arrival at mock (${s.switches} switches)`,
      result: `median ${ms(s.median)}, p95 ${ms(s.p95)}`,
      budget: 'p95 ≤ 50 ms',
      verdict: verdict(s.p95 <= BUDGETS.switchP95),
    });
    rows.push({
      n: '2',
      measure: 'Switch latency, click → page sent it (cross-check)',
      result: `median ${ms(s.bySend.median)}, p95 ${ms(s.bySend.p95)}`,
      budget: '–',
      verdict: '–',
    });
  }

  if (r.token?.error) err('3', 'Token continuity', r.token.error, '0 expired or missing');
  else if (r.token) {
    const t = r.token;
    // Expired or missing is the budget; a token the mock never issued or the API key in OAuth mode is as bad.
    const bad = t.expired + t.missing + t.unknown + t.withKey;
    const extra = [
      t.unknown ? `${count(t.unknown)} unknown token` : '',
      t.withKey ? `${count(t.withKey)} with the key` : '',
    ]
      .filter(Boolean)
      .join(', ');
    rows.push({
      n: '3',
      measure: `Token continuity (${fmt(t.lifetimeS, 0)} s tokens, ${fmt(t.lifetimes, 2).replace(/\.?0+$/, '')} lifetimes)`,
      result: `${count(t.expired)} expired, ${count(t.missing)} missing of ${count(t.requests)} requests (${count(t.non200)} non-200${extra ? `; ${extra}` : ''})`,
      budget: '0 expired or missing',
      verdict: verdict(bad <= BUDGETS.tokenBad && t.requests > 0),
    });
    rows.push({
      n: '3',
      measure: `Token refresh margin (${t.refreshes} refreshes)`,
      result: t.refreshes ? `min ${seconds(t.margin.min)}, median ${seconds(t.margin.median)}` : 'n/a (no refresh)',
      budget: '–',
      verdict: '–',
    });
  }

  if (r.popupSize) {
    const p = r.popupSize;
    rows.push({
      n: '4',
      measure: 'Popup JS + CSS shipped',
      result: `${bytes(p.total.gzip)} gzip (JS ${bytes(p.js.gzip)}, CSS ${bytes(p.css.gzip)}); raw ${bytes(p.total.raw)}`,
      budget: '≤ 20 KB (20,000 B) gzip',
      verdict: verdict(p.total.gzip <= BUDGETS.popupGzip),
    });
  }
  if (r.popup?.error) err('4', 'Popup to interactive', r.popup.error, '≤ 100 ms');
  else if (r.popup) {
    const p = r.popup;
    rows.push({
      n: '4',
      measure: `Popup to interactive (${p.runs} opens)`,
      result: `median ${ms(p.median)}, p95 ${ms(p.p95)}`,
      budget: '≤ 100 ms (median)',
      verdict: verdict(p.median <= BUDGETS.popupMs),
    });
  }

  if (r.background?.error) err('5', 'Background start', r.background.error, '≤ 100 ms');
  else if (r.background) {
    const b = r.background;
    rows.push({
      n: '5',
      measure: `Background start to correct rules (${b.runs} wakes)`,
      result: `median ${ms(b.cold.median)}, p95 ${ms(b.cold.p95)} (running worker: ${ms(b.warm.median)})`,
      budget: '≤ 100 ms (median)',
      verdict: verdict(b.cold.median <= BUDGETS.backgroundMs),
    });
  }
  if (r.popupAfterStop && !r.popupAfterStop.error) {
    const p = r.popupAfterStop;
    rows.push({
      n: '5',
      measure: `Popup to interactive, worker stopped (${p.runs})`,
      result: `median ${ms(p.median)}, p95 ${ms(p.p95)}`,
      budget: '–',
      verdict: '–',
    });
  }

  if (r.scale?.error) err('6', 'Scale, 200 projects', r.scale.error, '≤ 150 ms');
  else if (r.scale) {
    const s = r.scale;
    rows.push({
      n: '6',
      measure: `Popup to interactive, ${s.projects} projects (${s.timing.runs} opens)`,
      result: `median ${ms(s.timing.median)}, p95 ${ms(s.timing.p95)}`,
      budget: '≤ 150 ms (median)',
      verdict: verdict(s.timing.median <= BUDGETS.scaleMs),
    });
    rows.push({
      n: '6',
      measure: `Stored state, ${s.projects} projects`,
      result: `${bytes(s.bytesInUse)} (getBytesInUse); JSON ${bytes(s.jsonBytes)}`,
      budget: '–',
      verdict: '–',
    });
  }

  if (r.monitoring?.error) err('7', 'Monitoring cost', r.monitoring.error, 'no measurable delay');
  else if (r.monitoring) {
    const m = r.monitoring;
    const c = m.count;
    // ON and LIGHT must have recorded every tile (ON with durations, LIGHT without) and OFF none, or the ratios do not measure monitoring.
    const all = (v) => c[v].logged === c[v].requests && c[v].stored === c[v].requests && c[v].right === c[v].requests;
    const onValid =
      all('ON') &&
      c.ON.timed === c.ON.requests &&
      c.ON.storedTimed === c.ON.requests &&
      c.OFF.logged === 0 &&
      c.OFF.stored === 0;
    const lightValid =
      all('LIGHT') && c.LIGHT.timed === 0 && c.LIGHT.storedTimed === 0 && c.OFF.logged === 0 && c.OFF.stored === 0;
    // No measurable delay: the 95 % CI of the median ratio reaches 1.0.
    const budget = 'no measurable delay (95 % CI of median reaches 1.0)';
    const ok = (x) => x.ci95[0] <= BUDGETS.monitoringRatio;
    rows.push({
      n: '7',
      measure: `Monitoring cost, page load ON/OFF (${m.tiles} tiles, ${m.rounds} rounds)`,
      result: ratio(m.ratio['ON/OFF']),
      budget,
      verdict: !onValid ? 'INVALID (ON did not record, or not timed)' : verdict(ok(m.ratio['ON/OFF'])),
    });
    rows.push({
      n: '7',
      measure: 'Monitoring cost without durations, page load LIGHT/OFF',
      result: ratio(m.ratio['LIGHT/OFF']),
      budget,
      verdict: !lightValid ? 'INVALID (LIGHT did not record, or timed)' : verdict(ok(m.ratio['LIGHT/OFF'])),
    });
    rows.push({
      n: '7',
      measure: 'Monitoring recorded, ON · LIGHT · OFF rounds',
      result:
        `${count(c.ON.logged)} of ${count(c.ON.requests)} (${count(c.ON.timed)} timed) · ` +
        `${count(c.LIGHT.logged)} of ${count(c.LIGHT.requests)} (${count(c.LIGHT.timed)} timed) · ${count(c.OFF.logged)} of ${count(c.OFF.requests)} requests`,
      budget: 'ON all timed, LIGHT all untimed, OFF none',
      verdict: onValid && lightValid ? 'ok' : 'NO',
    });
    if (m.cpu) {
      for (const k of ['ON/OFF', 'LIGHT/OFF']) {
        rows.push({
          n: '7',
          measure: `Browser CPU ${k}, load · load + ${fmt(m.settleMs / 1000, 1)} s`,
          result: `${fmt(m.cpu.ratio[k].median, 3)} · ${m.cpuTail ? fmt(m.cpuTail.ratio[k].median, 3) : 'n/a'}`,
          budget: '–',
          verdict: '–',
        });
      }
    }
    if (m.cpuSplit) {
      const d = m.cpuSplit.diff;
      rows.push({
        n: '7',
        measure: `Extra browser CPU per load + ${fmt(m.settleMs / 1000, 1)} s by process, ON − OFF (LIGHT − OFF)`,
        result: `${m.cpuSplit.types.map((t) => `${PROCESS_LABEL[t]} ${fmt(d['ON−OFF'][t].median, 0)} (${fmt(d['LIGHT−OFF'][t].median, 0)})`).join(' · ')} ms`,
        budget: '–',
        verdict: '–',
      });
    }
    rows.push({
      n: '7',
      measure: 'Page load medians ON / LIGHT / OFF',
      result: `${fmt(m.ms.ON.median, 0)} / ${fmt(m.ms.LIGHT.median, 0)} / ${fmt(m.ms.OFF.median, 0)} ms`,
      budget: '–',
      verdict: '–',
    });
  }
  if (r.grid?.error) err('8', 'Activity grid, 3,000 entries', r.grid.error, 'first rows ≤ 1 s; frame p95 ≤ 50 ms');
  else if (r.grid) {
    const g = r.grid;
    const valid = g.problems.length === 0;
    rows.push({
      n: '8',
      measure: `Activity grid, ${count(g.entries)} entries: open → first rows (${g.runs} opens)`,
      result: `median ${ms(g.firstRow.median)}, max ${ms(g.firstRow.max)}; ${g.domRows} rows in the DOM`,
      budget: '≤ 1 s (median)',
      verdict: valid ? verdict(g.firstRow.median <= BUDGETS.gridFirstRowMs) : 'INVALID (not all loaded)',
    });
    rows.push({
      n: '8',
      measure: `Activity grid, scroll top → bottom at ${g.stepPx} px a frame (${count(g.frames.count)} frames)`,
      result: `frame median ${ms(g.frames.median)}, p95 ${ms(g.frames.p95)}, max ${ms(g.frames.max)}; ${g.frames.over50} over 50 ms`,
      budget: 'p95 ≤ 50 ms',
      verdict: valid ? verdict(g.frames.p95 <= BUDGETS.gridFrameP95Ms) : 'INVALID (did not reach the bottom)',
    });
    rows.push({
      n: '8',
      measure: 'Activity grid, longest main-thread task: open · scroll',
      result: `${ms(g.longestTask.load)} · ${ms(g.longestTask.scroll)}`,
      budget: '–',
      verdict: '–',
    });
  }
  if (r.devtools?.error) err('9', 'DevTools panel cost', r.devtools.error, '–');
  else if (r.devtools) {
    const d = r.devtools;
    rows.push({
      n: '9',
      measure: `DevTools panel cost, page load PANEL/DEVTOOLS (${d.tiles} tiles, ${d.rounds} rounds)`,
      result: ratio(d.ratio['PANEL/DEVTOOLS']),
      budget: '–',
      verdict: '–',
    });
    rows.push({
      n: '9',
      measure: 'Page load with the panel open vs closed, PANEL/CLOSED',
      result: ratio(d.ratio['PANEL/CLOSED']),
      budget: '–',
      verdict: '–',
    });
    if (d.cpu)
      rows.push({
        n: '9',
        measure: 'Browser CPU per load, PANEL/DEVTOOLS · PANEL/CLOSED',
        result: `${fmt(d.cpu.ratio['PANEL/DEVTOOLS'].median, 3)} · ${fmt(d.cpu.ratio['PANEL/CLOSED'].median, 3)}`,
        budget: '–',
        verdict: '–',
      });
    rows.push({
      n: '9',
      measure: 'Page load medians CLOSED / DEVTOOLS / PANEL',
      result: `${fmt(d.ms.CLOSED.median, 0)} / ${fmt(d.ms.DEVTOOLS.median, 0)} / ${fmt(d.ms.PANEL.median, 0)} ms`,
      budget: '–',
      verdict: '–',
    });
    rows.push({
      n: '9',
      measure: 'Panel lists every tile with its credential, after the last tile',
      result: `median ${ms(d.lag.median)}, p90 ${ms(d.lag.p90)}`,
      budget: '–',
      verdict: '–',
    });
  }
  if (r.viewerSize) {
    const z = r.viewerSize;
    rows.push({
      n: '10',
      measure: 'Response viewer gzip: content script · viewer · map',
      result: `${bytes(z.content.gzip)} · ${bytes(z.viewer.gzip)} · ${bytes(z.map.gzip)}`,
      budget: '–',
      verdict: '–',
    });
  }
  if (r.viewer?.error) err('10', 'Response viewer, time to a drawn map', r.viewer.error, '–');
  else if (r.viewer) {
    const v = r.viewer;
    rows.push({
      n: '10',
      measure: `Viewer, 100-feature NGD page: features drawn · tiles loaded (${v.rounds} loads)`,
      result: `median ${ms(v.on.drawn.median)} · ${ms(v.on.tiles.median)} (p90 ${ms(v.on.drawn.p90)} · ${ms(v.on.tiles.p90)})`,
      budget: '–',
      verdict: '–',
    });
    rows.push({
      n: '10',
      measure: 'Same page, load event: viewer ON / OFF (browser shows the JSON)',
      result: `${ms(v.on.load.median)} / ${ms(v.off.load.median)}`,
      budget: '–',
      verdict: '–',
    });
  }
  return rows;
}

export function markdownTable(rows) {
  const head = ['#', 'Measure', 'Result', 'Budget', 'Verdict'];
  const cells = rows.map((x) => [x.n, x.measure, x.result, x.budget, x.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export function machineLines(m) {
  return [
    `- Date: ${m.date}`,
    `- CPU: ${m.cores} cores, ${m.cpuModel}`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- OS: ${m.os}`,
    `- Browser: ${m.chromium}, headless, driven by playwright-core ${m.playwright}`,
    `- Node: ${m.node}; Vite ${m.vite}`,
    `- Code: commit ${m.commit}`,
    `- 1-minute load average: ${m.loadBefore} before, ${m.loadAfter || '?'} after (${m.cores} cores; anything near or above the core count means other work shared the CPU and the timings are noisier)`,
  ];
}

/** How each figure was measured, with the extra numbers behind it. */
export function detailLines(r) {
  const out = [];
  const pct = (f) => `${fmt(f * 100, 0)} %`;
  const contention = (x) =>
    x?.foreignCpu == null
      ? []
      : ['', `Other processes on the machine took ${pct(x.foreignCpu)} of its CPU capacity while this was measured.`];
  const problems = (p) => (p?.length ? [``, `Problems seen: ${p.join('; ')}`] : []);
  if (r.injection && !r.injection.error) {
    const i = r.injection;
    out.push(
      '### 1. Injection overhead',
      '',
      `A page on http://127.0.0.1 (served by the bench) holds ${i.tiles} \`<img>\` tiles ` +
        '`https://api.os.uk/maps/raster/v1/zxy/Road_3857/12/{x}/{y}.png?r=<unique run id>` (distinct URLs every load, so nothing is cached; ' +
        'api.os.uk is the local HTTPS mock through --host-resolver-rules). Three variants in one browser session, in a random order in each round: ' +
        '**A** OS API Keyring attaches the key (key-header project active, URLs without a key); **B** OS API Keyring Off, key hard-coded as `?key=`; ' +
        '**C** OS API Keyring Off, the floor extension `bench/minimal-extension` (one static modifyHeaders rule) enabled with updateEnabledRulesets. ' +
        'The static ruleset is disabled while A and B are measured, and the two extensions never attach at the same time.',
      '',
      'Time: `performance.now()` in the page (origin = navigation start) when the last image has fired `load` (capture listeners on `document`, installed before any `<img>` is parsed). ' +
        `Ratios are taken within each round and summarised over ${i.rounds} rounds (after ${i.warmup} warm-up rounds); the mock's log is checked after every load (every tile 200, key in the header for A and C, in the query for B).`,
      '',
      '| | median | p10–p90 | 95 % CI of the median (bootstrap) |',
      '|---|---|---|---|',
      ...['A', 'B', 'C'].map(
        (v) =>
          `| ${v} load | ${fmt(i.ms[v].median, 1)} ms | ${fmt(i.ms[v].p10, 1)}–${fmt(i.ms[v].p90, 1)} ms | ${fmt(i.ms[v].ci95[0], 1)}–${fmt(i.ms[v].ci95[1], 1)} ms |`,
      ),
      ...[
        ['A/B', 'AB'],
        ['C/B', 'CB'],
        ['A/C', 'AC'],
      ].map(
        ([l, k]) =>
          `| ${l} | ${fmt(i.ratio[k].median, 3)} | ${fmt(i.ratio[k].p10, 3)}–${fmt(i.ratio[k].p90, 3)} | ${fmt(i.ratio[k].ci95[0], 3)}–${fmt(i.ratio[k].ci95[1], 3)} |`,
      ),
      ...quietLines(i.quiet, pct),
      ...cpuLines(i.cpu),
      ...problems(i.problems),
      ...contention(i),
      '',
    );
  }
  if (r.switch && !r.switch.error) {
    const s = r.switch;
    out.push(
      '### 2. Switch latency',
      '',
      `A page on http://127.0.0.1 keeps ${s.loops} fetch loops to \`https://api.os.uk/__echo\` running (each sends its next fetch when the previous answers; ` +
        `${fmt(s.requestsPerSecond, 0)} requests/s, so one every ~${fmt(1000 / s.requestsPerSecond, 1)} ms on average). In the real popup page (a tab), ` +
        "Playwright clicks the other project's radio (a trusted CDP mouse click). Latency = **the mock's arrival time** (`Date.now()` when the request reached it) of the first " +
        'request carrying the new key, minus `Date.now()` in the popup when the click event was dispatched (capture listener). Same wall clock, 1 ms resolution; ' +
        'the figure includes up to one inter-request gap of sampling delay.',
      '',
      `${s.switches} switches, alternating between two key-header projects: median ${ms(s.median)}, p95 ${ms(s.p95)}, min ${ms(s.min)}, max ${ms(s.max)}. ` +
        "Every echo request during the run carried one of the two keys (checked in the mock's log). " +
        `Cross-check from the page's send timestamps (\`Date.now()\` just before \`fetch()\`; the first fetch that came back with the new key): median ${ms(s.bySend.median)}, p95 ${ms(s.bySend.p95)}. ` +
        "The gap between the two is the request's trip from the page through the network stack to the mock; it is there with or without the extension.",
      ...problems(s.problems),
      ...contention(s),
      '',
    );
  }
  if (r.token && !r.token.error) out.push(...tokenDetailLines(r.token), ...contention(r.token), '');
  if (r.popupSize) {
    const p = r.popupSize;
    out.push(
      '### 4. Popup',
      '',
      'Shipped: the files `dist/chrome/src/popup/index.html` loads (script, stylesheet, modulepreload) and everything they import, each once; gzip is zlib level 9 per file.',
      '',
      '| file | raw | gzip |',
      '|---|---|---|',
      ...p.files.map((f) => `| ${f.file} | ${bytes(f.raw)} | ${bytes(f.gzip)} |`),
      `| **total** | **${bytes(p.total.raw)}** | **${bytes(p.total.gzip)}** |`,
      '',
    );
  }
  if (r.popup && !r.popup.error) {
    const p = r.popup;
    out.push(
      "Time to interactive: the popup page is opened in a new tab (the toolbar popup cannot be clicked headless). An init script (runs before the page's own scripts) " +
        'watches the DOM with a MutationObserver and records `performance.now()` (from navigation start) the first time a button labelled "Add project" is present and ' +
        'not disabled, i.e. the popup has its state from the background and can be used. ' +
        `${p.runs} opens with two projects and the worker running: median ${ms(p.median)}, p95 ${ms(p.p95)}, first (cold) open ${ms(p.firstRun)}; ` +
        `the next animation frame starts at a median ${ms(p.frameMedian)}.`,
      ...contention(p),
      '',
    );
  }
  if (r.background && !r.background.error) {
    const b = r.background;
    out.push(
      '### 5. Background start',
      '',
      "The service worker is stopped through chrome://serviceworker-internals (the e2e harness's method) and confirmed STOPPED. From another page of the extension that does " +
        'not run the popup (its manifest.json opened in a tab: extension origin, chrome.* APIs, no listeners), the stored state is changed to make the other project active ' +
        '(`chrome.storage.local.set`). That storage change is the event that wakes the worker. The page then polls `chrome.declarativeNetRequest.getSessionRules()` back to back. ' +
        "**Measured: from just before `storage.local.set` to the first poll that shows the new project's key**, with `performance.now()` in that page: the write, the worker " +
        'start and script evaluation, listener registration, the wake reconcile and the session-rule update. The popup tab is closed meanwhile (it would message the background too).',
      '',
      `${b.runs} wakes: median ${ms(b.cold.median)}, p95 ${ms(b.cold.p95)}, max ${ms(b.cold.max)} (all: ${b.cold.all.map((x) => fmt(x, 0)).join(', ')} ms). ` +
        `The same switch with the worker already running: median ${ms(b.warm.median)}, p95 ${ms(b.warm.p95)}; the difference is the cost of waking.`,
      ...problems(b.problems),
      ...contention(b),
      '',
    );
  }
  if (r.popupAfterStop && !r.popupAfterStop.error) {
    const p = r.popupAfterStop;
    out.push(
      `Also: the popup opened while the worker is stopped (its first message wakes it), timed as in 4: median ${ms(p.median)}, p95 ${ms(p.p95)} over ${p.runs} opens.`,
      '',
    );
  }
  if (r.scale && !r.scale.error) {
    const s = r.scale;
    out.push(
      '### 6. Scale',
      '',
      `${s.projects} projects built with the core's \`saveProject\` (half key header, half key query; a third with a secret), checked with \`parseCurrentState\`, ` +
        "and written straight into `chrome.storage.local` under `keyring` from the background's context; the first project active. " +
        `Popup timed as in 4 (${s.timing.runs} opens): median ${ms(s.timing.median)}, p95 ${ms(s.timing.p95)}, first ${ms(s.timing.firstRun)}. ` +
        `The popup listed ${s.listed} radios (projects + Off). Stored size: ${bytes(s.bytesInUse)} by \`chrome.storage.local.getBytesInUse('keyring')\`, ${bytes(s.jsonBytes)} as JSON.`,
      ...contention(s),
      '',
    );
  }
  if (r.monitoring && !r.monitoring.error)
    out.push(...monitoringDetailLines(r.monitoring), ...contention(r.monitoring), '');
  if (r.grid && !r.grid.error) {
    const g = r.grid;
    out.push(
      '### 8. Activity grid with a full log',
      '',
      `The activity log cleared, then filled with ${count(g.entries)} real requests from a page on 127.0.0.1 with project A active (tiles, Names searches and one path in ten ` +
        `that the mock does not know; answered ${Object.entries(g.statuses)
          .map(([k, v]) => `${count(v)} × ${k}`)
          .join(', ')}; ${fmt(g.fillSeconds, 1)} s). ` +
        `Then ${g.runs} times: the options page opened at #activity in a fresh 1280×800 tab; first rows = in-page \`performance.now()\` (from navigation start) when the ` +
        `first request row is in the DOM, polled every animation frame (all ${count(g.entries)} confirmed by the count line): ${g.firstRow.all.map((x) => fmt(x, 0)).join(', ')} ms. ` +
        `At most ${g.domRows} request rows were in the DOM (only those in view are drawn). The grid was then scrolled to the bottom ${g.stepPx} px a frame in ` +
        `\`requestAnimationFrame\`; intervals between frames: median ${ms(g.frames.median)}, p95 ${ms(g.frames.p95)}, p99 ${ms(g.frames.p99)}, max ${ms(g.frames.max)}, ` +
        `${g.frames.over50} of ${count(g.frames.count)} over 50 ms. Longest main-thread task (PerformanceObserver \`longtask\`): ${ms(g.longestTask.load)} while opening, ` +
        `${ms(g.longestTask.scroll)} while scrolling (0 = none of 50 ms or more).`,
      ...(g.problems.length ? ['', `Problems: ${g.problems.join('; ')}`] : []),
      ...contention(g),
      '',
    );
  }
  if (r.devtools && !r.devtools.error)
    out.push(...devtoolsDetailLines(r.devtools), ...problems(r.devtools.problems), ...contention(r.devtools), '');
  if (r.viewer && !r.viewer.error)
    out.push(...viewerDetailLines(r.viewer, r.viewerSize), ...problems(r.viewer.problems), ...contention(r.viewer), '');
  return out;
}

/** Section 9 (also printed by `--only=devtools`). */
export function devtoolsDetailLines(d) {
  const r = (x) =>
    `${fmt(x.median, 3)} (p10–p90 ${fmt(x.p10, 3)}–${fmt(x.p90, 3)}, 95 % CI ${fmt(x.ci95[0], 3)}–${fmt(x.ci95[1], 3)})`;
  return [
    '### 9. DevTools panel cost',
    '',
    'DevTools\' frontend does not show an extension\'s panel in headless Chromium (docs/devtools-panel.md), so **"panel open" is the real built panel page** ' +
      '(`src/devtools/panel.html`, an extension page talking to the real background) **with only the `devtools` namespace stood in**: as the tile page loads, ' +
      "the bench records the tab's network over CDP (Chromium's Network domain, what DevTools records while open), builds each finished api.os.uk request's HAR entry " +
      "and hands it to the panel's `onRequestFinished` listeners (batches every 25 ms), as DevTools would; a navigation clears the panel's list. " +
      `The tile page of 1 (${d.tiles} tiles, project A attaching the key) in three variants, in a random order in each round: **CLOSED** no DevTools, nothing records the tab; ` +
      "**DEVTOOLS** the network recorded over CDP, no panel; **PANEL** the same, and the panel page open and fed every request. PANEL/DEVTOOLS is the panel's own cost; " +
      "PANEL/CLOSED includes DevTools' recording as far as CDP's Network domain is it (DevTools' own frontend, which also renders its Network panel, is not in it). " +
      `Not measured: the real DevTools frontend. Over ${d.rounds} rounds after ${d.warmup} warm-up:`,
    '',
    `- Load time PANEL/DEVTOOLS ${r(d.ratio['PANEL/DEVTOOLS'])}; PANEL/CLOSED ${r(d.ratio['PANEL/CLOSED'])}; DEVTOOLS/CLOSED ${r(d.ratio['DEVTOOLS/CLOSED'])}.`,
    `- Medians CLOSED ${ms(d.ms.CLOSED.median)}, DEVTOOLS ${ms(d.ms.DEVTOOLS.median)}, PANEL ${ms(d.ms.PANEL.median)}.`,
    ...(d.cpu
      ? [
          `- Browser CPU per load (all its processes, the panel page's renderer included): medians CLOSED ${fmt(d.cpu.ms.CLOSED.median, 0)} ms, DEVTOOLS ${fmt(d.cpu.ms.DEVTOOLS.median, 0)} ms, PANEL ${fmt(d.cpu.ms.PANEL.median, 0)} ms; PANEL/DEVTOOLS ${r(d.cpu.ratio['PANEL/DEVTOOLS'])}, PANEL/CLOSED ${r(d.cpu.ratio['PANEL/CLOSED'])}.`,
        ]
      : []),
    `- The panel listed all ${d.tiles} tiles, each with its credential from the activity log, a median ${ms(d.lag.median)} (p90 ${ms(d.lag.p90)}) after the page's last tile ` +
      "(it asks the background 0.4 s after new rows arrive; the panel's tab is in the background while the tile page loads, where Chromium may throttle its timers).",
  ];
}

/** Section 10 (also printed by `--only=viewer`). */
export function viewerDetailLines(v, z) {
  const stage = (x) =>
    `${bytes(x.gzip)} gzipped (${bytes(x.raw)} raw: ${x.files.map((f) => f.file.replace(/-[\w-]{8}\.js$/, '.js')).join(', ')})`;
  return [
    '### 10. Response viewer',
    '',
    ...(z
      ? [
          'What it ships, by stage, from the build (static imports followed; each file counted once, in the first stage that loads it; zlib level 9 per file):',
          '',
          `- Content script, on every top-level \`https://api.os.uk/features/*\` and \`/search/*\` document: ${stage(z.content)}.`,
          `- Viewer, only when the document is one it shows (setting on): ${stage(z.viewer)}.`,
          `- Map (Leaflet and proj4), only when the response has features to draw: ${stage(z.map)}.`,
          '',
        ]
      : []),
    "A tab opens `https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=100` (the mock's NGD Features page of 100 point features; " +
      'project A attaches the key; viewport 1280×800) in two variants, in a random order in each round: **ON** the viewer setting on; **OFF** off, so the browser shows ' +
      "the JSON itself. Times from the navigation start: the viewer's performance marks (`src/viewer/map-view.ts`) when the 100 features are on the fitted map, and when " +
      "Leaflet reports every tile of that first view loaded (`load`); and each variant's `load` event end. After each ON load the bench checks that 100 features were drawn " +
      `and that every tile reached the mock with project A's key (median ${v.on.tileCount} tiles a view). ${v.rounds} rounds after ${v.warmup} warm-up:`,
    '',
    `- Features drawn: median ${ms(v.on.drawn.median)} (p10–p90 ${ms(v.on.drawn.p10)}–${ms(v.on.drawn.p90)}).`,
    `- Map tiles loaded: median ${ms(v.on.tiles.median)} (p10–p90 ${ms(v.on.tiles.p10)}–${ms(v.on.tiles.p90)}).`,
    `- \`load\` event: ON ${ms(v.on.load.median)}, OFF ${ms(v.off.load.median)} (the viewer itself starts at \`document_idle\`, after it).`,
  ];
}

/** Section 7 of the details (also printed on its own by `--only=monitoring`). */
export function monitoringDetailLines(m) {
  const pct = (f) => `${fmt(f * 100, 0)} %`;
  const r = (x) =>
    `${fmt(x.median, 3)} (p10–p90 ${fmt(x.p10, 3)}–${fmt(x.p90, 3)}, 95 % CI ${fmt(x.ci95[0], 3)}–${fmt(x.ci95[1], 3)})`;
  const spans = (x) => (x.p10 <= 1 && x.p90 >= 1 ? 'spans' : 'does not span');
  const reaches = (x) => (x.ci95[0] <= 1 ? 'reaches' : 'does not reach');
  const c = m.count;
  const PAIRS = ['ON/OFF', 'LIGHT/OFF', 'ON/LIGHT'];
  const out = [
    '### 7. Monitoring cost',
    '',
    `The tile page of 1 (${m.tiles} distinct \`<img>\` tiles from the api.os.uk mock, in the same browser session) with project A active (key header), ` +
      'loaded in three variants in a random order in each round: **ON** "Record activity" and "Record durations" on (the defaults), so the background\'s ' +
      'non-blocking `chrome.webRequest` listeners observe every tile request twice, `onBeforeRequest` to time it and `onCompleted` (or `onErrorOccurred`) ' +
      'to record it (activity log, usage counts, alerts); **LIGHT** "Record activity" on and "Record durations" off, so only `onCompleted`/`onErrorOccurred` ' +
      'is registered: one browser event per request instead of two, each entry recorded with no duration (`durationMs` null); **OFF** "Record activity" off, ' +
      "the listeners removed. LIGHT is there because each webRequest event is a message from the network stack to the extension's service worker, " +
      'whatever the listener then does: ON/LIGHT isolates the second event (the timing), LIGHT/OFF what recording costs without it. ' +
      'The settings are switched with the `saveSettings` message (what the options page sends, `{recordActivity, recordDurations}`) from an extension page ' +
      "that runs no app (the extension's manifest.json in a tab); the settings it returns and the `recording` flag `getActivity` returns confirm each switch, " +
      'and both settings are restored at the end. The popup tab is closed while measuring (it polls the background every 2 s).',
    '',
    `Time: \`performance.now()\` in the page when the last image has fired \`load\`, as in 1; the ratios are taken within each round and summarised over ${m.rounds} rounds ` +
      `(after ${m.warmup} warm-up rounds). Every load is followed by the same ${fmt(m.settleMs / 1000, 1)} s wait, in which ON's and LIGHT's batched write of the log to ` +
      '`chrome.storage.session` (at most one a second) happens, so it neither overlaps the next load nor escapes the CPU figure taken over load + wait. ' +
      "Then the bench checks what was recorded: the rows of `getActivity` and of the stored `activityLog` whose path carries the load's run id.",
    '',
    `**Recorded ${count(c.ON.logged)} of ${count(c.ON.requests)} requests** in the ON rounds (${count(c.ON.right)} booked to ${'`Bench A`'}, header mode, status 200; ` +
      `${count(c.ON.timed)} with a duration; ${count(c.ON.stored)} in the stored \`activityLog\`, ${count(c.ON.storedTimed)} with a duration), ` +
      `**${count(c.LIGHT.logged)} of ${count(c.LIGHT.requests)}** in the LIGHT rounds (${count(c.LIGHT.right)} booked to ${'`Bench A`'}, header mode, status 200; ` +
      `${count(c.LIGHT.timed)} with a duration; ${count(c.LIGHT.stored)} stored, ${count(c.LIGHT.storedTimed)} with a duration), ` +
      `and ${count(c.OFF.logged)} of ${count(c.OFF.requests)} in the OFF rounds (${count(c.OFF.stored)} stored). ` +
      `The log held ${count(m.logLength.min)}–${count(m.logLength.max)} entries after the ON and LIGHT loads (it keeps the last 3,000).`,
    '',
    '| | median | p10–p90 | 95 % CI of the median (bootstrap) |',
    '|---|---|---|---|',
    ...['ON', 'LIGHT', 'OFF'].map(
      (v) =>
        `| ${v} load | ${fmt(m.ms[v].median, 1)} ms | ${fmt(m.ms[v].p10, 1)}–${fmt(m.ms[v].p90, 1)} ms | ${fmt(m.ms[v].ci95[0], 1)}–${fmt(m.ms[v].ci95[1], 1)} ms |`,
    ),
    ...PAIRS.map(
      (k) =>
        `| ${k} | ${fmt(m.ratio[k].median, 3)} | ${fmt(m.ratio[k].p10, 3)}–${fmt(m.ratio[k].p90, 3)} | ${fmt(m.ratio[k].ci95[0], 3)}–${fmt(m.ratio[k].ci95[1], 3)} |`,
    ),
    '',
    'Budget: no measurable delay, read as: the 95 % interval of the median ratio reaches 1.0, for ON/OFF and for LIGHT/OFF alike. ' +
      `ON/OFF's interval ${reaches(m.ratio['ON/OFF'])} 1.0 and its round-to-round spread (p10–p90) ${spans(m.ratio['ON/OFF'])} it; ` +
      `LIGHT/OFF's interval ${reaches(m.ratio['LIGHT/OFF'])} 1.0 and its spread ${spans(m.ratio['LIGHT/OFF'])} it.`,
  ];
  const q = m.quiet;
  if (q && q.foreignMedian != null && !Number.isNaN(q.foreignMedian)) {
    const head = `Other processes took a median ${pct(q.foreignMedian)} of the CPU per round; ${q.rounds} rounds had under ${pct(q.limit)}.`;
    out.push(
      '',
      q.ratio
        ? `${head} Over those quiet rounds only: ${PAIRS.map((k) => `${k} ${r(q.ratio[k])}`).join('; ')}.`
        : `${head} Too few quiet rounds to summarise them apart.`,
    );
  }
  if (m.cpu) {
    const msList = (x) =>
      `medians ON ${fmt(x.ms.ON.median, 0)} ms, LIGHT ${fmt(x.ms.LIGHT.median, 0)} ms, OFF ${fmt(x.ms.OFF.median, 0)} ms`;
    const perRound = (x) => `per round ${PAIRS.map((k) => `${k} ${r(x.ratio[k])}`).join(', ')}`;
    out.push(
      '',
      "Browser CPU time (all the browser's processes, from /proc, 10 ms ticks), from just before navigation to the last image: " +
        `${msList(m.cpu)}; ${perRound(m.cpu)}` +
        (m.cpuTail
          ? `. To the end of the ${fmt(m.settleMs / 1000, 1)} s wait (the monitor's whole work, its storage write included): ${msList(m.cpuTail)}; ${perRound(m.cpuTail)}.`
          : '.'),
    );
  }
  if (m.cpuSplit) out.push(...cpuSplitLines(m));
  out.push(
    '',
    'Measures 1–6 run with "Record activity" and "Record durations" on (the defaults), so their figures include the monitor in its ON variant.',
  );
  if (m.problems?.length) out.push('', `Problems seen: ${m.problems.join('; ')}`);
  return out;
}

/** Measure 7's browser CPU by process type: per variant and per-round differences. */
function cpuSplitLines(m) {
  const x = m.cpuSplit;
  const found =
    x.extensionPid !== null
      ? `pid ${x.extensionPid}, which gained ${fmt(x.extensionFound.ms, 0)} ms while a ${x.spinMs} ms busy loop ran in the service worker before the rounds` +
        (x.extensionAtEnd ? ` (after them: pid ${x.extensionAtEnd.pid}, ${fmt(x.extensionAtEnd.ms, 0)} ms)` : '')
      : "not identified, so every extension renderer (the floor extension's too) is booked to it";
  const diff = (k, t) =>
    `${fmt(x.diff[k][t].median, 0)} (${fmt(x.diff[k][t].ci95[0], 0)} to ${fmt(x.diff[k][t].ci95[1], 0)})`;
  const sum = (o) => x.types.reduce((a, t) => a + o[t].median, 0);
  return [
    '',
    `Browser CPU per load + ${fmt(m.settleMs / 1000, 1)} s wait, split by process (the same /proc readings, 10 ms ticks, per process: the time each gained; ` +
      "a process is typed by its command line: no `--type` is the browser process, a renderer with `--extension-process` an extension's). " +
      `The extension's own renderer: ${found}. ` +
      `Types: ${x.types.map((t) => `**${PROCESS_LABEL[t]}** ${PROCESS_WHAT[t]}`).join('; ')}. ` +
      'Medians per variant, and the median of the per-round differences with its 95 % CI (bootstrap), in ms:',
    '',
    '| process | ON | LIGHT | OFF | ON − OFF | LIGHT − OFF | ON − LIGHT | ON · LIGHT · OFF, load only |',
    '|---|---|---|---|---|---|---|---|',
    ...x.types.map(
      (t) =>
        `| ${PROCESS_LABEL[t]} | ${fmt(x.ms.ON[t].median, 0)} | ${fmt(x.ms.LIGHT[t].median, 0)} | ${fmt(x.ms.OFF[t].median, 0)} | ` +
        `${diff('ON−OFF', t)} | ${diff('LIGHT−OFF', t)} | ${diff('ON−LIGHT', t)} | ` +
        `${fmt(x.loadMs.ON[t].median, 0)} · ${fmt(x.loadMs.LIGHT[t].median, 0)} · ${fmt(x.loadMs.OFF[t].median, 0)} |`,
    ),
    `| sum of medians | ${fmt(sum(x.ms.ON), 0)} | ${fmt(sum(x.ms.LIGHT), 0)} | ${fmt(sum(x.ms.OFF), 0)} | | | | |`,
  ];
}

/** Section 3 of the details (also printed on its own by `--only=token`). */
export function tokenDetailLines(t) {
  const problems = t.problems?.length ? ['', `Problems seen: ${t.problems.join('; ')}`] : [];
  return [
    '### 3. Token continuity',
    '',
    'Its own session: a dedicated api.os.uk mock (same `tests/mock` server) with one project holding a key and a secret, whose token endpoint issues ' +
      `**${fmt(t.lifetimeS, 0)} s tokens**, rate limits far above the load, and a separate headless Chromium with the built extension. ` +
      'The project is added through the real popup ("OAuth 2 bearer token", API secret) and activated; once its Bearer rule is installed the popup tab is closed ' +
      `and a page on http://127.0.0.1 fetches \`https://api.os.uk/__echo\` one request at a time, ${t.gapMs} ms after the previous answer, for ` +
      `${fmt(t.lifetimes, 2).replace(/\.?0+$/, '')} token lifetimes (${fmt(t.durationS, 1)} s, ${count(t.pageSide.sent)} fetches, ${fmt(t.requestsPerSecond, 1)} requests/s). ` +
      'The extension refreshes on its own schedule; nothing in the bench touches it during the load.',
    '',
    "Judged from the mock's log against its own record of every token it issued (`issuedTokens()`: token → expiresAt). A request is **expired** when its Bearer token's " +
      "expiresAt ≤ its arrival time (`Date.now()` when it reached the mock, the same test the mock's gateway applies), **missing** when it carried no credential. " +
      "**Refresh margin**, per refresh: the old token's expiresAt minus the arrival of the first request carrying the new token, i.e. how long before the old token " +
      'expired its successor was already on the wire.',
    '',
    `${count(t.requests)} requests: ${count(t.expired)} with an expired token, ${count(t.missing)} with none, ${count(t.unknown)} with a token the mock never issued, ` +
      `${count(t.withKey)} with the API key; ${count(t.non200)} answered other than 200 (statuses ${Object.entries(
        t.statuses,
      )
        .map(([k, v]) => `${k}: ${count(v)}`)
        .join(', ')}). ` +
      `${t.distinctTokens} distinct tokens on the wire, so ${t.refreshes} refreshes; ${t.tokensIssued} tokens issued in all (${t.tokenRequests} token requests during the load, ` +
      `${t.badTokenRequests} of them failed or not plain Basic), ${t.tokensUnused} never used. ` +
      (t.refreshes
        ? `Refresh margin: min ${seconds(t.margin.min)}, median ${seconds(t.margin.median)}, max ${seconds(t.margin.max)} ` +
          `(all: ${t.margin.all.map((x) => fmt(x / 1000, 2)).join(', ')} s). `
        : 'No refresh during the load. ') +
      `The least time left on a token when a request carrying it arrived: ${seconds(t.minLeftMs)}. ` +
      (t.refreshes
        ? `A new token was first used a median ${ms(t.takeover.median)} (max ${ms(t.takeover.max)}) after the mock issued it. `
        : '') +
      `${t.olderAfterNewer} requests went back to an older token after a newer one was in use.`,
    ...problems,
  ];
}

function quietLines(q, pct) {
  if (!q || q.foreignMedian == null || Number.isNaN(q.foreignMedian)) return [];
  const head = `Other processes took a median ${pct(q.foreignMedian)} of the CPU per round; ${q.rounds} rounds had under ${pct(q.limit)}.`;
  if (!q.ratio) return ['', `${head} Too few quiet rounds to summarise them apart.`];
  const r = (k) => `${fmt(q.ratio[k].median, 3)} (p10–p90 ${fmt(q.ratio[k].p10, 3)}–${fmt(q.ratio[k].p90, 3)})`;
  return ['', `${head} Over those quiet rounds only: A/B ${r('AB')}, C/B ${r('CB')}, A/C ${r('AC')}.`];
}

function cpuLines(c) {
  if (!c) return [];
  const r = (k) =>
    `${fmt(c.ratio[k].median, 3)} (p10–p90 ${fmt(c.ratio[k].p10, 3)}–${fmt(c.ratio[k].p90, 3)}, 95 % CI ${fmt(c.ratio[k].ci95[0], 3)}–${fmt(c.ratio[k].ci95[1], 3)})`;
  return [
    '',
    "Browser CPU time per load (user + system time of all the browser's processes from /proc, 10 ms ticks, from just before navigation to just after the last image; " +
      'less disturbed by other work on the machine than wall time): ' +
      `medians A ${fmt(c.ms.A.median, 0)} ms, B ${fmt(c.ms.B.median, 0)} ms, C ${fmt(c.ms.C.median, 0)} ms; per round A/B ${r('AB')}, C/B ${r('CB')}, A/C ${r('AC')}.`,
  ];
}
