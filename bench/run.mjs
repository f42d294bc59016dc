/**
 * `npm run bench` (build, then measure, print, write docs/benchmarks.md) and
 * `npm run bench:smoke` / `npm run bench -- --smoke` (a tiny pass: print only, never writes).
 * `npm run bench -- --only=token` (3. token continuity), `--only=monitoring` (7. monitoring cost) ,
 * `--only=grid` (8. the activity grid with 3,000 log entries), `--only=devtools` (9. DevTools panel cost) or
 * `--only=viewer` (10. response viewer)
 * runs one measure on its own (full size unless --smoke) and prints it; it never writes
 * docs/benchmarks.md either. `--build=<dir>` measures the extension built in <dir> instead of
 * dist/chrome (print only, like --only).
 *
 * Benchmarks are not tests: a figure over budget is reported, never an error. The exit code is
 * non-zero only when something crashed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { benchActivityGrid } from './benches/activity-grid.mjs';
import { benchBackgroundStart, popupAfterStop } from './benches/background-start.mjs';
import { benchDevtoolsPanel } from './benches/devtools-panel.mjs';
import { benchInjection } from './benches/injection.mjs';
import { benchMonitoring } from './benches/monitoring.mjs';
import { popupSize, popupTiming } from './benches/popup.mjs';
import { benchScale, buildState } from './benches/scale.mjs';
import { benchSwitch } from './benches/switch.mjs';
import { benchTokenContinuity } from './benches/token-continuity.mjs';
import { benchViewer, viewerSize } from './benches/viewer.mjs';
import { snapshotBuild } from './lib/browser.mjs';
import { describeMachine } from './lib/machine.mjs';
import {
  detailLines,
  devtoolsDetailLines,
  machineLines,
  viewerDetailLines,
  markdownTable,
  monitoringDetailLines,
  tableRows,
  tokenDetailLines,
} from './lib/report.mjs';
import { startSession } from './lib/session.mjs';
import { ROOT } from './lib/ts.mjs';

const smoke = process.argv.includes('--smoke');
/** Measures that can run on their own: --only=<name> → the table rows (#) it prints. */
const ONLY = { token: '3', monitoring: '7', grid: '8', devtools: '9', viewer: '10' };
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? null;
if (only !== null && !(only in ONLY)) {
  console.error(`[bench] --only=${only}: unknown measure (one of: ${Object.keys(ONLY).join(', ')})`);
  process.exit(2);
}
// Token continuity: the mock's token lifetime and how many lifetimes the steady load spans
// (full: 12 s tokens × 5.5 ≈ 66 s, about 9 refreshes; smoke: 8 s tokens × 1.75 = 14 s).
const plan = smoke
  ? {
      injection: { rounds: 3, warmup: 0, tiles: 100 },
      monitoring: { rounds: 3, warmup: 0, tiles: 100 },
      switches: 3,
      popupRuns: 3,
      backgroundRuns: 2,
      popupAfterStopRuns: 1,
      scaleRuns: 2,
      gridRuns: 1,
      devtools: { rounds: 2, warmup: 0, tiles: 100 },
      viewer: { rounds: 2, warmup: 0 },
      token: { lifetimeS: 8, lifetimes: 1.75 },
    }
  : {
      injection: { rounds: 40, minRounds: 20, maxSeconds: 150, warmup: 2, tiles: 300 },
      // Three variants a round (ON, LIGHT, OFF): rounds take 1.5× as long as with two, so fewer fit in the same time.
      monitoring: { rounds: 18, minRounds: 12, maxSeconds: 150, warmup: 2, tiles: 300 },
      switches: 40,
      popupRuns: 20,
      backgroundRuns: 15,
      popupAfterStopRuns: 8,
      scaleRuns: 20,
      gridRuns: 5,
      devtools: { rounds: 12, warmup: 1, tiles: 300 },
      viewer: { rounds: 15, warmup: 1 },
      token: { lifetimeS: 12, lifetimes: 5.5 },
    };

const started = Date.now();
const log = (msg) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(1)} s] ${msg}`);
const results = {};
let crashed = false;

/**
 * Run one measure; a crash is recorded in its row and the others still run.
 * @param {ReturnType<import('./lib/cpu.mjs').createCpuMonitor> | null} cpu the session's CPU monitor,
 *   or null for a measure with its own browser (it reports its own foreignCpu)
 */
async function step(name, key, fn, cpu) {
  log(`${name}…`);
  const cpu0 = cpu?.start();
  try {
    results[key] = await fn();
    if (cpu) results[key].foreignCpu = cpu.foreignShare(cpu0);
  } catch (e) {
    crashed = true;
    results[key] = { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    console.error(`[bench] ${name} failed:`, e);
  }
}

const machine = describeMachine();
// Measure a copy of the build: others may rebuild dist/chrome while this runs. --build=<dir> measures
// another built extension instead (an older commit's, to compare before and after in one sitting).
const buildArg = process.argv.find((a) => a.startsWith('--build='))?.slice('--build='.length);
const build = buildArg ? resolve(buildArg) : snapshotBuild();
if (!buildArg) process.on('exit', () => rmSync(build, { recursive: true, force: true }));
if (only === 'monitoring') {
  const session = await startSession({ mainDir: build });
  try {
    await step(
      '7. monitoring cost',
      'monitoring',
      () => benchMonitoring(session, plan.monitoring),
      session.browser.cpu,
    );
  } finally {
    await session.close();
  }
}
if (only === 'grid' || only === 'devtools' || only === 'viewer') {
  if (only === 'viewer') results.viewerSize = viewerSize(build);
  const session = await startSession({ mainDir: build });
  try {
    if (only === 'grid')
      await step(
        '8. activity grid (3,000 entries)',
        'grid',
        () => benchActivityGrid(session, { runs: plan.gridRuns }),
        session.browser.cpu,
      );
    else if (only === 'devtools')
      await step(
        '9. DevTools panel cost',
        'devtools',
        () => benchDevtoolsPanel(session, plan.devtools),
        session.browser.cpu,
      );
    else await step('10. response viewer', 'viewer', () => benchViewer(session, plan.viewer), session.browser.cpu);
  } finally {
    await session.close();
  }
}
if (only === null) {
  results.popupSize = popupSize(build);
  results.viewerSize = viewerSize(build);
  // Built now, from the same src/ as the build that just ran (others may be editing src/ meanwhile).
  const scaleState = await buildState(200);
  const session = await startSession({ mainDir: build });
  const cpu = session.browser.cpu;
  try {
    await step('4. popup to interactive', 'popup', () => popupTiming(session.browser, { runs: plan.popupRuns }), cpu);
    await step('1. injection overhead', 'injection', () => benchInjection(session, plan.injection), cpu);
    await step('7. monitoring cost', 'monitoring', () => benchMonitoring(session, plan.monitoring), cpu);
    await step('9. DevTools panel cost', 'devtools', () => benchDevtoolsPanel(session, plan.devtools), cpu);
    await step('10. response viewer', 'viewer', () => benchViewer(session, plan.viewer), cpu);
    await step('2. switch latency', 'switch', () => benchSwitch(session, { switches: plan.switches }), cpu);
    await step(
      '5. background start',
      'background',
      () => benchBackgroundStart(session, { runs: plan.backgroundRuns }),
      cpu,
    );
    await step(
      '5. popup with the worker stopped',
      'popupAfterStop',
      () => popupAfterStop(session, popupTiming, { runs: plan.popupAfterStopRuns }),
      cpu,
    );
    await step(
      '8. activity grid (3,000 entries)',
      'grid',
      () => benchActivityGrid(session, { runs: plan.gridRuns }),
      cpu,
    );
    // Last: it replaces the stored projects.
    await step(
      '6. scale (200 projects)',
      'scale',
      () => benchScale(session, popupTiming, { built: scaleState, runs: plan.scaleRuns }),
      cpu,
    );
  } finally {
    await session.close();
  }
}
// Its own mock (short-lived tokens) and browser, after the main session has closed: nothing else runs meanwhile.
if (only === null || only === 'token')
  await step(
    `3. token continuity (${plan.token.lifetimeS} s tokens × ${plan.token.lifetimes}, ~${Math.round(plan.token.lifetimeS * plan.token.lifetimes)} s of load)`,
    'token',
    () => benchTokenContinuity({ mainDir: build, ...plan.token }),
    null,
  );

machine.loadAfter = loadavg()[0].toFixed(2);
const rows = tableRows(results, { smoke });
const table = markdownTable(only === null ? rows : rows.filter((row) => row.n === ONLY[only]));
const wall = (Date.now() - started) / 1000;
console.log('');
console.log(machineLines(machine).join('\n'));
console.log('');
console.log(table);
console.log('');
for (const [k, v] of Object.entries(results))
  if (v?.problems?.length) console.log(`WARNING ${k}: ${v.problems.join('; ')}`);
if (only === 'token' && results.token && !results.token.error)
  console.log(['', ...tokenDetailLines(results.token), ''].join('\n'));
if (only === 'monitoring' && results.monitoring && !results.monitoring.error)
  console.log(['', ...monitoringDetailLines(results.monitoring), ''].join('\n'));
if (only === 'grid' && results.grid && !results.grid.error)
  console.log(['', ...detailLines({ grid: results.grid }), ''].join('\n'));
if (only === 'devtools' && results.devtools && !results.devtools.error)
  console.log(['', ...devtoolsDetailLines(results.devtools), ''].join('\n'));
if (only === 'viewer' && results.viewer && !results.viewer.error)
  console.log(['', ...viewerDetailLines(results.viewer, results.viewerSize), ''].join('\n'));
const kind = only !== null ? `--only=${only}${smoke ? ' (smoke size)' : ''}` : smoke ? 'Smoke pass' : 'Full run';
const unwritten =
  only !== null
    ? ` (--only: docs/benchmarks.md not written)`
    : smoke
      ? ' (smoke: docs/benchmarks.md not written)'
      : buildArg
        ? ' (--build: docs/benchmarks.md not written)'
        : '';
console.log(`${kind} took ${wall.toFixed(1)} s${unwritten}.`);

if (!smoke && only === null && !buildArg && !crashed) {
  const md = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.mjs). Do not edit by hand: the next run overwrites this file. -->',
    '',
    'Measured side by side in one headless Chromium session with the built extension (`dist/chrome`) and a local HTTPS mock of api.os.uk (`tests/mock`); ' +
      'token continuity (3) runs afterwards in a session of its own, against a mock issuing short-lived OAuth tokens. ' +
      'Figures are medians unless stated; budgets are from issue #8 and are reported, never enforced. Run `npm run bench` to refresh this file ' +
      '(it builds first), or `npm run bench:smoke` for a quick check that prints only.',
    '',
    '## Machine',
    '',
    ...machineLines(machine),
    `- Wall time of this run: ${wall.toFixed(0)} s`,
    '',
    '## Results',
    '',
    table,
    '',
    '## How each figure was measured',
    '',
    ...detailLines(results),
  ].join('\n');
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), md);
  log('wrote docs/benchmarks.md');
} else if (!smoke && only === null && !buildArg) {
  log('a measure crashed: docs/benchmarks.md left unchanged');
}
process.exit(crashed ? 1 : 0);
