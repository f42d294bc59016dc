#!/usr/bin/env node
/**
 * `npm run demo`: see the whole thing work with no OS account. Builds the extension, starts the
 * local OS API mock (tests/mock) and the web-map examples (examples/), and opens Chromium with the
 * extension loaded, api.os.uk sent to the mock, and a demo project already added and active. The
 * three example maps open in tabs; their code has no key, the extension adds the demo project's.
 * A fourth tab opens an OS API URL (an NGD Features page) in the extension's response viewer.
 *
 *   npm run demo                   # a visible Chromium window; close it (or Ctrl+C) to stop
 *   npm run demo -- --check        # no window: load the three maps and an OS API URL headless, report, exit 0/1
 *   npm run demo -- --no-build     # skip `npm run build` (use the existing dist/chrome)
 *
 * Chromium: CHROMIUM_PATH, else `chromium` / `chromium-browser` on PATH. (Google Chrome's own
 * builds ignore --load-extension, so use Chromium.) Everything runs in a throwaway profile that is
 * deleted on exit: your own browser profile, projects and keys are never touched.
 * EXAMPLES_PORT picks the examples' port (default 5180).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from './browser-paths.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `npm run demo [-- options]

Opens Chromium with the extension loaded, a demo project active against a local mock of api.os.uk
(no OS account needed) and the three example web maps in tabs. Close the window or press Ctrl+C to stop;
the browser profile is a throwaway one, deleted on exit.

Options:
  --check      no window: load the three maps and an OS API URL (the response viewer) headless, print
               ok/FAIL for each, save screenshots to test-results/demo/, exit 0 only if all four rendered
  --no-build   skip \`npm run build\` and use the existing dist/chrome
  --help       this text

Environment:
  CHROMIUM_PATH   the Chromium to use (default: chromium or chromium-browser on PATH)
  EXAMPLES_PORT   the examples' port (default 5180)`;
const args = new Set(process.argv.slice(2));
if (args.has('--help') || args.has('-h')) {
  console.log(HELP);
  process.exit(0);
}
for (const a of args) {
  if (!['--check', '--no-build'].includes(a)) {
    console.error(`Unknown option ${a}.\n\n${HELP}`);
    process.exit(2);
  }
}
const check = args.has('--check');
const EXAMPLES = ['leaflet', 'openlayers', 'maplibre'];
/** "Open an OS API URL": an NGD Features page, which the extension's response viewer draws on an OS map. */
const OS_API_URL = 'https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=25';

// A visible window needs a display. Say so before building anything.
const needsDisplay = process.platform !== 'darwin' && process.platform !== 'win32';
if (!check && needsDisplay && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error(
    'npm run demo opens a Chromium window, but there is no display here (DISPLAY and WAYLAND_DISPLAY are unset).\n' +
      'Run it on a desktop session, or run `npm run demo -- --check` to load the three example maps headless and ' +
      'print whether each one rendered.',
  );
  process.exit(1);
}

let executablePath;
try {
  executablePath = chromiumPath();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

if (!args.has('--no-build')) {
  console.log('Building the extension (npm run build)…');
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) {
    console.error('The build failed; see the messages above.');
    process.exit(1);
  }
}
const extensionDir = join(root, 'dist', 'chrome');
if (!existsSync(join(extensionDir, 'manifest.json'))) {
  console.error(`No built extension in ${extensionDir}: run \`npm run build\` (or drop --no-build).`);
  process.exit(1);
}

// The mock and the demo project are TypeScript, shared with the tests: load them through Vite.
const { runnerImport } = await import('vite');
const load = async (path) => (await runnerImport(join(root, path), { configFile: false, logLevel: 'error' })).module;
const { startOsApiMock } = await load('tests/mock/os-api-mock.ts');
const { DEMO_KEY, DEMO_SECRET, DEMO_PROJECT_NAME, seedDemoProject } = await load('scripts/demo-project.ts');
const { startExamplesServer } = await import('../examples/server.mjs');
const { chromium } = await import('playwright-core');

// Faithful to OS: a Live project's 600 requests a minute per API; panning very fast can hit 429.
const mock = await startOsApiMock({ projects: [{ key: DEMO_KEY, secret: DEMO_SECRET, plan: 'live' }] });
const port = Number(process.env.EXAMPLES_PORT ?? 5180);
const examples = await startExamplesServer({ port }).catch(() => startExamplesServer());
const profile = mkdtempSync(join(tmpdir(), 'os-api-keyring-demo-'));

let context;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await context?.close().catch(() => undefined);
  await examples.close();
  await mock.close();
  rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: check,
    viewport: check ? { width: 1000, height: 700 } : null,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      // Demo mode: api.os.uk is the local mock, whose throwaway certificate the browser must accept.
      `--host-resolver-rules=MAP api.os.uk 127.0.0.1:${mock.port}`,
      '--ignore-certificate-errors',
      // WebGL for MapLibre without a GPU: ANGLE on SwiftShader when nothing better is available.
      '--enable-unsafe-swiftshader',
      ...(check ? ['--use-angle=swiftshader'] : []),
      '--no-first-run',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(worker.url()).host;
  await seedDemoProject(worker);
  console.log(`Demo project "${DEMO_PROJECT_NAME}" added and active (key header; its key only works with the mock).`);

  if (check) {
    const outDir = join(root, 'test-results', 'demo');
    mkdirSync(outDir, { recursive: true });
    let failed = 0;
    for (const name of EXAMPLES) {
      const page = await context.newPage();
      await page.goto(examples.url(`/${name}/`));
      const status = await page
        .waitForFunction(
          () => globalThis.mapStatus && globalThis.mapStatus.state !== 'loading' && globalThis.mapStatus.settled > 0,
          null,
          { timeout: 30_000 },
        )
        .then(() => page.evaluate(() => globalThis.mapStatus))
        .catch((err) => ({ state: 'timeout', tilesLoaded: 0, tileErrors: 0, errors: [err.message] }));
      await page.screenshot({ path: join(outDir, `${name}.png`) });
      const ok = status.state === 'ready' && status.tilesLoaded > 0;
      if (!ok) failed++;
      console.log(
        `${ok ? 'ok  ' : 'FAIL'} ${name}: ${status.tilesLoaded} tiles loaded, ${status.tileErrors} failed` +
          `${status.errors.length ? `; ${status.errors.join('; ')}` : ''}`,
      );
      await page.close();
    }
    // Open an OS API URL: the response viewer draws its features; the map's tiles carry the demo key.
    const viewer = await context.newPage();
    await viewer.goto(OS_API_URL);
    const seen = await viewer
      .waitForFunction(
        () => globalThis.performance.getEntriesByName('os-api-keyring-viewer:tiles-loaded').length > 0,
        null,
        { timeout: 30_000 },
      )
      .then(() =>
        viewer.evaluate(() =>
          Number(
            globalThis.document
              .getElementById('os-api-keyring-viewer')
              ?.shadowRoot?.querySelector('.map')
              ?.getAttribute('data-drawn') ?? 0,
          ),
        ),
      )
      .catch(() => 0);
    const tiles = mock.requests.filter(
      (r) => r.path.startsWith('/maps/raster/v1/zxy/Light_3857/') && r.status === 200 && r.headers.key === DEMO_KEY,
    ).length;
    await viewer.screenshot({ path: join(outDir, 'viewer.png') });
    const viewerOk = seen === 25 && tiles > 0;
    if (!viewerOk) failed++;
    console.log(
      `${viewerOk ? 'ok  ' : 'FAIL'} open an OS API URL: ${seen} of 25 features drawn by the viewer, ${tiles} map tiles with the demo key`,
    );
    console.log(`Screenshots in ${outDir}.`);
    console.log(`${EXAMPLES.length + 1 - failed} passed, ${failed} failed`);
    await stop(failed ? 1 : 0);
  } else {
    const [first] = context.pages();
    const index = first ?? (await context.newPage());
    await index.goto(examples.url('/'));
    const maps = [];
    for (const name of EXAMPLES) {
      const page = await context.newPage();
      await page.goto(examples.url(`/${name}/`));
      maps.push(page);
    }
    // Open an OS API URL: the response viewer shows it with its features on an OS map.
    const viewer = await context.newPage();
    await viewer.goto(OS_API_URL);
    // The popup in a tab too, since a new profile keeps the toolbar icon under the puzzle piece.
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
    await maps[0]?.bringToFront();
    console.log(`\nThe examples are at ${examples.url('/')} (tabs are open for all three).`);
    console.log(`Open an OS API URL: ${OS_API_URL} is open in the response viewer (try Next page, a feature, Tree).`);
    console.log(
      'Try it: in the OS API Keyring tab (or the toolbar icon) choose Off, then reload a map: api.os.uk answers 401.',
    );
    console.log('Close the browser window or press Ctrl+C to stop the demo.');
    context.on('close', () => void stop(0));
  }
} catch (err) {
  console.error(`The demo could not start: ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}
