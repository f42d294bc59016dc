// End to end: the three web-map examples (examples/), served from localhost and loaded in real
// headless Chromium with the built extension, api.os.uk mapped to the local mock, and the demo
// project written in the way `npm run demo` writes it. With the project active every map renders
// and every request it makes reaches the mock with the key and is answered 200; switched Off, the
// same pages' tile requests are refused with 401 — the extension is what makes the maps work.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExamplesServer, type ExamplesServer } from '../../examples/server.mjs';
import { DEMO_KEY, DEMO_PROJECT_NAME, DEMO_SECRET, seedDemoProject } from '../../scripts/demo-project';
import { startOsApiMock, type OsApiMock, type RecordedRequest } from '../mock/os-api-mock';
import { launchWithExtension, type ExtensionSession } from './extension-harness';
import { activate } from './popup-actions';

/**
 * WebGL for MapLibre in headless Chromium without a GPU: ANGLE on SwiftShader, Chromium's software
 * Vulkan. Chromium no longer falls back to SwiftShader for WebGL on its own unless allowed with
 * --enable-unsafe-swiftshader (Playwright passes that by default too; stated here so the test does
 * not depend on it).
 */
const SOFTWARE_WEBGL = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

interface MapStatus {
  library: string;
  state: 'loading' | 'ready' | 'errors';
  settled: number;
  tilesLoaded: number;
  tileErrors: number;
  errors: string[];
}

interface Example {
  name: 'leaflet' | 'openlayers' | 'maplibre';
  /** Whether a request recorded by the mock is one of this map's tiles. */
  isTile: (r: RecordedRequest) => boolean;
  /** Zoom in one level in the page, so the map asks for new tiles. */
  zoomIn: string;
}

const lowerKeys = (q: Record<string, string>) =>
  Object.fromEntries(Object.entries(q).map(([k, v]) => [k.toLowerCase(), v]));

const EXAMPLES: Example[] = [
  {
    name: 'leaflet',
    isTile: (r) => r.path.startsWith('/maps/raster/v1/zxy/Road_3857/'),
    zoomIn: 'window.map.setZoom(window.map.getZoom() + 1, { animate: false })',
  },
  {
    name: 'openlayers',
    isTile: (r) => r.path === '/maps/raster/v1/wmts' && lowerKeys(r.query)['request'] === 'GetTile',
    zoomIn: 'window.map.getView().setZoom(window.map.getView().getZoom() + 1)',
  },
  {
    name: 'maplibre',
    isTile: (r) => r.path.startsWith('/maps/vector/v1/vts/tile/'),
    zoomIn: 'window.map.zoomIn({ animate: false })',
  },
];

let mock: OsApiMock;
let examples: ExamplesServer;
let ext: ExtensionSession;
const pages = new Map<string, Page>();

/** Requests the mock received for api.os.uk since it was last cleared. */
const apiRequests = () => mock.requests.filter((r) => r.host === 'api.os.uk');

/** Wait until the page's map has settled more than `after` times, and return its status. */
async function settled(page: Page, after: number): Promise<MapStatus> {
  await page.bringToFront(); // hidden tabs get no animation frames, which the map libraries draw in
  await page.waitForFunction(
    (n) => {
      const s = (window as unknown as { mapStatus?: MapStatus }).mapStatus;
      return s !== undefined && s.state !== 'loading' && s.settled > n;
    },
    after,
    { timeout: 20_000 },
  );
  return page.evaluate(() => structuredClone((window as unknown as { mapStatus: MapStatus }).mapStatus));
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = resolve(process.env.SCREENSHOT_DIR ?? 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

beforeAll(async () => {
  mock = await startOsApiMock({ projects: [{ key: DEMO_KEY, secret: DEMO_SECRET, plan: 'live' }] });
  examples = await startExamplesServer();
  ext = await launchWithExtension({ mockPort: mock.port, extraArgs: SOFTWARE_WEBGL });
  await seedDemoProject(await ext.worker());
});

afterAll(async () => {
  await ext?.close();
  await examples?.close();
  await mock?.close();
});

describe('the examples', () => {
  it('have no key, key parameter or Authorization header anywhere in their code', () => {
    const root = resolve(import.meta.dirname, '../../examples');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(html|js|css)$/.test(name)) files.push(path);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(DEMO_KEY);
      expect(text, file).not.toMatch(/[?&]key=/);
      expect(text, file).not.toMatch(/['"]key['"]\s*:/);
      // No request headers set by hand (Authorization: Bearer …, key: …).
      expect(text, file).not.toMatch(/['"]?authorization['"]?\s*:|headers\s*:/i);
    }
  });

  it('the demo project, written the way `npm run demo` writes it, shows as active in the popup', async () => {
    const popup = await ext.openPopup();
    await expect(popup.locator('#status').textContent()).resolves.toContain(
      `Attaching ${DEMO_PROJECT_NAME} as a key header`,
    );
    await popup.close();
  });
});

describe('with the demo project active, each map renders from the mock with the key', () => {
  for (const ex of EXAMPLES) {
    it(ex.name, async () => {
      const page = await ext.context.newPage();
      pages.set(ex.name, page);
      await page.setViewportSize({ width: 800, height: 560 });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      mock.clear();
      await page.goto(examples.url(`/${ex.name}/`));
      const status = await settled(page, 0);

      expect(status).toMatchObject({ state: 'ready', tileErrors: 0, errors: [] });
      expect(pageErrors).toEqual([]);
      const requests = apiRequests();
      const tiles = requests.filter(ex.isTile);
      expect(tiles.length).toBeGreaterThan(0);
      expect(status.tilesLoaded).toBeGreaterThan(0);
      expect(status.tilesLoaded).toBeLessThanOrEqual(tiles.length);
      // Every request the map made reached the mock with the demo key, as a header, and got 200.
      const notOk = requests.filter(
        (r) => r.credential.source !== 'header' || r.credential.value !== DEMO_KEY || r.status !== 200,
      );
      expect(notOk.map((r) => `${r.url} ${r.credential.source} ${r.status}`)).toEqual([]);
      // Nothing carried the key in the URL: the page never saw it.
      expect(requests.filter((r) => r.url.includes(DEMO_KEY))).toEqual([]);

      if (ex.name === 'openlayers') {
        expect(lowerKeys(requests[0]?.query ?? {})).toMatchObject({ request: 'GetCapabilities' });
        for (const t of tiles)
          expect(lowerKeys(t.query)).toMatchObject({ layer: 'Road_27700', tilematrixset: 'EPSG:27700' });
      }
      if (ex.name === 'maplibre') {
        // The transformRequest put srs=3857 on every request, and the style's sprite and OS font were loaded.
        expect(requests.filter((r) => r.query['srs'] !== '3857').map((r) => r.url)).toEqual([]);
        expect(requests.map((r) => r.path)).toEqual(
          expect.arrayContaining([
            '/maps/vector/v1/vts/resources/styles',
            '/maps/vector/v1/vts',
            '/maps/vector/v1/vts/resources/sprites/sprite.json',
            '/maps/vector/v1/vts/resources/sprites/sprite.png',
          ]),
        );
        expect(
          requests.some((r) =>
            /^\/maps\/vector\/v1\/vts\/resources\/fonts\/Source%20Sans%20Pro%20[A-Za-z]+\/0-255\.pbf$/.test(r.path),
          ),
        ).toBe(true);
      }
      await screenshot(page, `map-${ex.name}`);
    });
  }
});

describe('Copy as curl, from the popup', () => {
  it('copies a command for the current api.os.uk tab that a shell runs exactly, with the key, and that works', async () => {
    const url = 'https://api.os.uk/maps/raster/v1/zxy/Road_3857/7/63/42.png';
    const apiTab = await ext.context.newPage();
    await apiTab.goto(url);
    // No "tabs" permission: the tab's URL is visible to the extension through its api.os.uk host permission.
    const tabId = await (
      await ext.worker()
    ).evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, url);
    expect(tabId).toEqual(expect.any(Number));

    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/src/popup/index.html?tabId=${String(tabId)}`);
    // Playwright cannot grant clipboard access to an extension origin: keep what the popup writes.
    await popup.evaluate(() => {
      navigator.clipboard.writeText = (text: string) => {
        (window as unknown as { copied: string }).copied = text;
        return Promise.resolve();
      };
    });
    await popup.getByText('Copy as curl').click();
    await expect(popup.getByRole('textbox', { name: 'OS API URL' }).inputValue()).resolves.toBe(url);
    await expect(popup.locator('#curl-warning').textContent()).resolves.toMatch(
      /contains Demo \(local mock\)’s API key in plain text/,
    );
    await popup.getByRole('button', { name: 'Copy curl command' }).click();
    await popup.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    const command = await popup.evaluate(() => (window as unknown as { copied: string }).copied);
    expect(command).toBe(`curl '${url}' -H 'key: ${DEMO_KEY}'`);
    expect(await popup.locator('main').textContent()).not.toContain(DEMO_KEY);

    // A real shell splits it into exactly: curl, the URL, -H, the header.
    const argv = execFileSync('sh', ['-c', `curl() { printf '%s\\n' "$@"; }; ${command}`], { encoding: 'utf8' });
    expect(argv.trimEnd().split('\n')).toEqual([url, '-H', `key: ${DEMO_KEY}`]);

    // And, where curl is installed, it works as it is (api.os.uk pointed at the mock).
    let hasCurl = true;
    try {
      execFileSync('sh', ['-c', 'command -v curl'], { stdio: 'ignore' });
    } catch {
      hasCurl = false;
    }
    if (hasCurl) {
      mock.clear();
      // Asynchronously: the mock answers from this process, so a blocking exec would starve it.
      const run = `${command} -k -sS -o /dev/null -w '%{http_code}' --max-time 10 --connect-to api.os.uk:443:127.0.0.1:${mock.port}`;
      const { stdout } = await promisify(execFile)('sh', ['-c', run], { encoding: 'utf8' });
      expect(stdout).toBe('200');
      expect(apiRequests().map((r) => [r.path, r.credential.source, r.credential.value])).toEqual([
        [new URL(url).pathname, 'header', DEMO_KEY],
      ]);
    }
    await popup.close();
    await apiTab.close();
  });
});

describe('with the extension Off, the same pages get 401', () => {
  beforeAll(async () => {
    const popup = await ext.openPopup();
    await activate(popup, 'Off');
    await popup.close();
    // Off: no rules at all.
    const deadline = Date.now() + 5_000;
    while ((await ext.rules()).length > 0) {
      if (Date.now() > deadline) throw new Error('rules still installed after switching Off');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  for (const ex of EXAMPLES) {
    it(ex.name, async () => {
      const page = pages.get(ex.name);
      if (!page) throw new Error(`the ${ex.name} page was not opened by the previous test`);
      const before = await settled(page, -1);

      // New tiles for the open map: every one refused, and the map says so.
      mock.clear();
      await page.evaluate(ex.zoomIn);
      const after = await settled(page, before.settled);
      const tiles = apiRequests().filter(ex.isTile);
      expect(tiles.length).toBeGreaterThan(0);
      expect(tiles.filter((r) => r.status !== 401 || r.credential.source !== 'none').map((r) => r.url)).toEqual([]);
      expect(after.state).toBe('errors');
      expect(after.tileErrors).toBeGreaterThan(before.tileErrors);
      expect(after.tilesLoaded).toBe(before.tilesLoaded);

      // And loaded afresh, the map's very first request to api.os.uk is refused.
      mock.clear();
      await page.reload();
      const fresh = await settled(page, 0);
      expect(fresh.state).toBe('errors');
      expect(fresh.tilesLoaded).toBe(0);
      const requests = apiRequests();
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((r) => r.status !== 401).map((r) => r.url)).toEqual([]);
    });
  }
});
