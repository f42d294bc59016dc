/**
 * 10. The response viewer (issue 18): what it ships, and the time to a drawn map.
 *
 * Size, from the built extension: the JavaScript (and CSS) each stage loads, following static
 * imports (`from "./x.js"`, `import "./x.js"`) and counting each file once, in the stage that
 * first needs it; gzip = zlib level 9 per file, summed:
 *   content script  the manifest's loader and the module it imports: loads on every top-level
 *                   https://api.os.uk/features/* and /search/* document
 *   viewer          loaded only when the document is one the viewer shows (plain text, setting on)
 *   map             Leaflet and proj4, loaded only when the response has features to draw
 *
 * Time: a tab opens https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=100
 * (the mock's NGD Features page of 100 point features, with project A attaching the key) in two
 * variants, alternating in a random order within each round, in the same browser session:
 *   ON   the viewer setting on (the default): the viewer draws the 100 features on an OS map
 *   OFF  the setting off: the browser shows the JSON itself (the baseline: the same response,
 *        with nothing of the viewer's)
 * Times are from the navigation start (performance timeline of the document): ON's "features
 * drawn" and "map tiles loaded" are performance marks the viewer's map sets (src/viewer/map-view.ts:
 * the features are on the fitted map; Leaflet's `load`, every tile of the first view loaded), and
 * both variants' `load` event end. After each ON load the bench checks that 100 features were
 * drawn and that every tile request reached the mock with project A's key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { KEY_A, PROJECT_A } from '../lib/session.mjs';
import { median, percentile, shuffled, sleep } from '../lib/stats.mjs';

export const VIEWER_URL = 'https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items?limit=100';

/** Gzipped sizes of the viewer's three stages in a built extension (dist/chrome or a copy). */
export function viewerSize(distDir) {
  const manifest = JSON.parse(readFileSync(join(distDir, 'manifest.json'), 'utf8'));
  const assets = join(distDir, 'assets');
  const files = readdirSync(assets);
  const byPrefix = (prefix, not = null) => {
    const f = files.find((x) => x.startsWith(prefix) && x.endsWith('.js') && !(not && x.startsWith(not)));
    if (!f) throw new Error(`no assets/${prefix}* in the build`);
    return f;
  };
  const seen = new Set();
  /** The files `start` needs (itself and its static imports) that no earlier stage loaded. */
  const stage = (starts) => {
    const out = [];
    const queue = [...starts];
    while (queue.length) {
      const f = queue.shift();
      if (seen.has(f)) continue;
      seen.add(f);
      out.push(f);
      const text = readFileSync(join(assets, f), 'utf8');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.(?:js|css))["']/g)) queue.push(m[1]);
    }
    const sizes = out.map((f) => {
      const buf = readFileSync(join(assets, f));
      return { file: f, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    });
    return { files: sizes, raw: sizes.reduce((a, x) => a + x.raw, 0), gzip: sizes.reduce((a, x) => a + x.gzip, 0) };
  };
  const loader = manifest.content_scripts?.[0]?.js?.[0]?.replace(/^assets\//, '');
  if (!loader) throw new Error('no content script in the manifest');
  return {
    content: stage([loader, byPrefix('src-viewer-content.ts-')]),
    viewer: stage([byPrefix('viewer-', 'viewer-document')]),
    map: stage([byPrefix('map-view-')]),
  };
}

/** Runs in the extension page: one message to the background, unwrapped. */
async function message({ type, args }) {
  const reply = await chrome.runtime.sendMessage({ channel: 'os-api-keyring', type, args });
  if (!reply?.ok) throw new Error(`${type}: ${reply?.error?.message ?? 'no reply'}`);
  return reply.value;
}

/** @param {Awaited<ReturnType<import('../lib/session.mjs').startSession>>} s */
export async function benchViewer(s, { rounds, warmup }) {
  await s.activate(PROJECT_A);
  const control = await s.browser.context.newPage();
  await control.goto(`chrome-extension://${s.browser.mainId}/manifest.json`);
  await s.closePopup();
  const page = await s.browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const send = (type, args) => control.evaluate(message, { type, args });
  const initial = await send('getSettings', {});
  const problems = [];
  let on = null;

  async function setup(variant) {
    const want = variant === 'ON';
    if (on === want) return;
    await send('saveSettings', { viewer: want });
    // The viewer's response ruleset follows the setting: wait until it does.
    const deadline = Date.now() + 5_000;
    for (;;) {
      const sets = await control.evaluate(() => chrome.declarativeNetRequest.getEnabledRulesets());
      if (sets.includes('viewer') === want) break;
      if (Date.now() > deadline) throw new Error(`viewer ruleset did not follow the setting (${want})`);
      await sleep(20);
    }
    on = want;
    await sleep(250);
  }

  const marks = () =>
    page.evaluate(() => {
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
      const nav = performance.getEntriesByType('navigation')[0];
      const root = document.getElementById('os-api-keyring-viewer')?.shadowRoot;
      return {
        drawnAt: at('os-api-keyring-viewer:features-drawn'),
        tilesAt: at('os-api-keyring-viewer:tiles-loaded'),
        loadAt: nav ? nav.loadEventEnd : null,
        drawn: Number(root?.querySelector('.map')?.getAttribute('data-drawn') ?? NaN),
      };
    });

  async function load(variant) {
    s.mock.clear();
    await page.bringToFront();
    await page.goto(VIEWER_URL, { waitUntil: 'load', timeout: 60_000 });
    if (variant === 'OFF') return marks();
    // Wait for the viewer's last mark (polled from outside the page's main world; the marks carry the times).
    await page.waitForFunction(
      () => performance.getEntriesByName('os-api-keyring-viewer:tiles-loaded').length > 0,
      null,
      { timeout: 30_000, polling: 100 },
    );
    const m = await marks();
    const tiles = s.mock.requests.filter((r) => r.path.startsWith('/maps/raster/v1/zxy/Light_3857/'));
    const bad = tiles.filter(
      (r) => r.status !== 200 || r.credential.source !== 'header' || r.credential.value !== KEY_A,
    ).length;
    if (m.drawn !== 100 || tiles.length === 0 || bad)
      problems.push(`ON: ${m.drawn} features drawn, ${tiles.length} tiles, ${bad} without the key or not 200`);
    m.tiles = tiles.length;
    return m;
  }

  const ON = { drawn: [], tiles: [], load: [], tileCount: [] };
  const OFF = { load: [] };
  for (let i = 0; i < warmup + rounds; i++) {
    const r = {};
    for (const v of shuffled(['ON', 'OFF'])) {
      await setup(v);
      r[v] = await load(v);
    }
    if (i < warmup) continue;
    ON.drawn.push(r.ON.drawnAt);
    ON.tiles.push(r.ON.tilesAt);
    ON.load.push(r.ON.loadAt);
    ON.tileCount.push(r.ON.tiles);
    OFF.load.push(r.OFF.loadAt);
  }
  await send('saveSettings', { viewer: initial.viewer });
  await page.close();
  await control.close();
  const summary = (xs) => ({ median: median(xs), p10: percentile(xs, 10), p90: percentile(xs, 90) });
  return {
    rounds,
    warmup,
    problems,
    on: { drawn: summary(ON.drawn), tiles: summary(ON.tiles), load: summary(ON.load), tileCount: median(ON.tileCount) },
    off: { load: summary(OFF.load) },
  };
}
