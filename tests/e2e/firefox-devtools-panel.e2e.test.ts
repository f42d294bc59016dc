// The DevTools "OS API" panel in Firefox ESR (issue 17), as devtools-panel.e2e.test.ts does it in
// Chromium: DevTools cannot be opened on a tab headless and driven here, so the built panel page
// is opened as an extension page with only the `devtools` namespace stood in.
//
// Real: Firefox, the built extension (dist/firefox) and its background, the mock, a page on
// 127.0.0.1 whose requests the extension answers with the key (200, 401 from a project without the
// API, 429), the background's activity log behind the credential column, the panel and DevTools
// page scripts. Stood in: `devtools` only, fed HAR entries of that run, built from the request as
// the mock received it (headers as sent, the extension's key included) and the response as the
// page read it (status, headers, body): WebDriver BiDi gives no response bodies in Firefox ESR.
// An extension page cannot be given an init script over BiDi, so each page is opened, its entry
// script fails on the missing `devtools`, and the same script is imported again (a fresh module
// instance, by a query string) once the stand-in is in place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { OsApiMock } from '../mock/os-api-mock';
import { credentialsIn } from './driver';
import {
  EXTENSION_ORIGIN,
  FIREFOX_EXTENSION_DIR,
  FIREFOX_MOCK_PORT,
  launchFirefoxWithExtension,
  openExtensionPage,
  type FirefoxSession,
} from './firefox-harness';
import { startPageServer, type PageServer } from './page-server';
import { activate, addProject } from './popup-actions';
import { startMockOnFixedPort } from './scenarios/target';

const KEY = 'FXDEVTOOLSkey000000000000000001';
const URLS = [
  'https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png',
  'https://api.os.uk/search/names/v1/find?query=Southampton',
  'https://api.os.uk/search/places/v1/find?query=10%20Downing%20Street',
];
const BUSY = 'https://api.os.uk/search/names/v1/find?query=busy';

let mock: OsApiMock;
let pages: PageServer;
let ext: FirefoxSession;
let tabId: number;
const entries: { entry: Record<string, unknown>; body: string; encoding: string }[] = [];

/** The built entry script of a page of the extension (its one module script). */
function entryScript(htmlPath: string): string {
  const html = readFileSync(join(FIREFOX_EXTENSION_DIR, htmlPath), 'utf8');
  const src = /<script type="module"[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error(`no module script in ${htmlPath}`);
  return src;
}

beforeAll(async () => {
  mock = await startMockOnFixedPort(FIREFOX_MOCK_PORT, {
    projects: [{ key: KEY, plan: 'live', apis: ['maps-raster', 'names'] }],
  });
  pages = await startPageServer();
  ext = await launchFirefoxWithExtension();
  const popup = await ext.openPopup();
  await addProject(popup, { name: 'Alpha', key: KEY, mode: 'Key header' });
  await activate(popup, 'Alpha');
  await ext.waitForRules((r) => credentialsIn(r).includes(KEY), 'Alpha active');
  const page = await ext.newPage();
  await page.goto(pages.url('127.0.0.1', `/?devtools-${Date.now()}`));
  const read = (urls: string[]) =>
    page.evaluate(async (list: string[]) => {
      const out = [];
      for (const u of list) {
        const started = new Date().toISOString();
        const t0 = performance.now();
        const res = await fetch(u);
        const buf = new Uint8Array(await res.arrayBuffer());
        const image = (res.headers.get('content-type') ?? '').startsWith('image/');
        const body = image ? btoa(String.fromCharCode(...buf)) : new TextDecoder().decode(buf);
        out.push({
          url: u,
          started,
          ms: performance.now() - t0,
          status: res.status,
          statusText: res.statusText,
          headers: [...res.headers].map(([name, value]) => ({ name, value })),
          mimeType: res.headers.get('content-type') ?? '',
          size: buf.length,
          body,
          image,
        });
      }
      return out;
    }, urls);
  mock.clear();
  const got = await read(URLS);
  mock.forceStatus([{ pathPrefix: '/search/names/v1/find', status: 429, times: 1 }]);
  got.push(...(await read([BUSY])));
  mock.forceStatus(null);
  expect(got.map((g) => g.status)).toEqual([200, 200, 401, 429]);
  for (const g of got) {
    const sent = mock.requests.find((r) => r.method === 'GET' && `https://api.os.uk${r.url}` === g.url);
    expect(sent?.headers.key).toBe(KEY);
    entries.push({
      entry: {
        startedDateTime: g.started,
        time: g.ms,
        request: {
          method: 'GET',
          url: g.url,
          headers: Object.entries(sent?.headers ?? {}).map(([name, value]) => ({ name, value: String(value) })),
        },
        response: {
          status: g.status,
          statusText: g.statusText,
          headers: g.headers,
          content: { size: g.size, mimeType: g.mimeType },
        },
        timings: { wait: g.ms },
      },
      body: g.body,
      encoding: g.image ? 'base64' : '',
    });
  }
  // The inspected tab: the one the activity log booked these requests to.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await ext.inExtension(async () => {
      const reply = await browser.runtime.sendMessage({
        channel: 'os-api-keyring',
        type: 'getActivity',
        args: { limit: 50 },
      });
      return (reply as { value: { rows: { path: string; tabId: number }[] } }).value.rows;
    });
    const row = rows.find((r) => r.path === '/search/names/v1/find?query=busy');
    if (row) {
      tabId = row.tabId;
      break;
    }
    if (Date.now() > deadline) throw new Error('the requests never reached the activity log');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  await ext?.close();
  await pages?.close();
  await mock?.close();
});

/** Open an extension page, put the `devtools` stand-in in place, then run its entry script again. */
async function openWithDevtools(htmlPath: string, install: (inspected: number) => void): Promise<Page> {
  const page = await ext.browser.newPage();
  await page.setViewport({ width: 1280, height: 700 });
  await openExtensionPage(page, `${EXTENSION_ORIGIN}/${htmlPath}`);
  await page.evaluate(install, tabId);
  // A module script element (allowed by the extension's CSP, 'self'), which runs as the page's own.
  await page.evaluate(
    (src: string) =>
      new Promise<void>((resolve, reject) => {
        const script = document.createElement('script');
        script.type = 'module';
        script.src = `${src}?with-devtools`;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`could not load ${src}`));
        document.head.append(script);
      }),
    entryScript(htmlPath),
  );
  return page;
}

const rowsOf = (panel: Page) =>
  panel.evaluate(() =>
    [...document.querySelectorAll('table.requests tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''),
    ),
  );

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

describe('DevTools "OS API" panel (Firefox)', () => {
  it('the devtools page registers the panel "OS API" with the panel page', async () => {
    const manifest = JSON.parse(readFileSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
      devtools_page?: string;
    };
    expect(manifest.devtools_page).toBe('src/devtools/devtools.html');
    const dt = await openWithDevtools(manifest.devtools_page!, () => {
      const w = window as unknown as { __created: unknown[] };
      w.__created = [];
      const fake = { panels: { create: (...args: unknown[]) => void w.__created.push(args.slice(0, 3)) } };
      for (const ns of [
        (globalThis as { browser?: unknown }).browser,
        (globalThis as { chrome?: unknown }).chrome,
      ].filter(Boolean) as Record<string, unknown>[])
        ns.devtools = fake;
    });
    expect(await dt.evaluate(() => (window as unknown as { __created: unknown[] }).__created)).toEqual([
      ['OS API', 'icons/icon-32.png', 'src/devtools/panel.html'],
    ]);
    await dt.close();
  });

  it('lists the tab’s requests with the credential each carried and OS’s reason; no key in the DOM', async () => {
    expect(JSON.stringify(entries)).toContain(KEY);
    const panel = await openWithDevtools('src/devtools/panel.html', (inspected) => {
      type Listener = (r: unknown) => void;
      const finished: Listener[] = [];
      const w = window as unknown as { __finish(r: unknown): void; __copied: string[]; __listening(): boolean };
      w.__copied = [];
      w.__finish = (r) => finished.forEach((f) => f(r));
      w.__listening = () => finished.length > 0;
      const fake = {
        inspectedWindow: { tabId: inspected },
        network: {
          onRequestFinished: { addListener: (f: Listener) => finished.push(f), removeListener: () => undefined },
          onNavigated: { addListener: () => undefined, removeListener: () => undefined },
        },
      };
      for (const ns of [
        (globalThis as { browser?: unknown }).browser,
        (globalThis as { chrome?: unknown }).chrome,
      ].filter(Boolean) as Record<string, unknown>[])
        ns.devtools = fake;
      document.execCommand = (cmd: string) => {
        if (cmd === 'copy') w.__copied.push((document.activeElement as HTMLTextAreaElement | null)?.value ?? '');
        return true;
      };
    });
    await until(
      () => panel.evaluate(() => document.querySelector('table[aria-label="OS API requests"]') !== null),
      Boolean,
      'the panel',
    );
    // The panel subscribes in an effect, after its first render: entries handed over before that are lost
    // (a fresh-clone CI run once saw no rows at all).
    await until(
      () => panel.evaluate(() => (window as unknown as { __listening(): boolean }).__listening()),
      Boolean,
      'the panel to listen',
    );
    await panel.evaluate((list: typeof entries) => {
      const w = window as unknown as { __finish(r: unknown): void };
      for (const { entry, body, encoding } of list)
        w.__finish({ ...entry, getContent: (cb: (c: string, e: string) => void) => cb(body, encoding) });
    }, entries);
    // The credential column from Firefox's own activity log: the extension's key header on all four.
    const rows = await until(
      () => rowsOf(panel),
      (r) => r.length === 4 && r.every((x) => x[7] === 'Alpha (Key header)') && r[3]?.[8] !== '',
      'four attributed rows',
    );
    expect(rows.map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
      ['GET', 'OS Maps API', '/maps/raster/v1/zxy/Light_3857/7/63/42.png', '200'],
      ['GET', 'OS Names API', '/search/names/v1/find?query=Southampton', '200'],
      ['GET', 'OS Places API', '/search/places/v1/find?query=10%20Downing%20Street', '401'],
      ['GET', 'OS Names API', '/search/names/v1/find?query=busy', '429'],
    ]);
    expect(rows[2]?.[8]).toMatch(
      /^Key not enabled for OS Places API: The key is valid, but its OS Data Hub project does not include OS Places API/,
    );
    expect(rows[3]?.[8]).toMatch(/^Rate limited/);

    // Details of the 401: the key header as sent, masked; OS's body; Copy as fetch with no key.
    await panel.evaluate(() => (document.querySelectorAll('table.requests tbody tr')[2] as HTMLElement).click());
    const details = await until(
      () => panel.evaluate(() => document.querySelector('aside[aria-label="Request details"]')?.textContent ?? ''),
      (t) => t.includes('InvalidApiKeyForGivenResource'),
      'the 401 body',
    );
    expect(details).toMatch(/key( \(added by the extension\))?…redacted…/);
    await panel.evaluate(() =>
      [...document.querySelectorAll('aside button')]
        .find((b) => b.textContent === 'Copy as fetch')
        ?.dispatchEvent(new MouseEvent('click', { bubbles: true })),
    );
    const [fetchCode] = await until(
      () => panel.evaluate(() => (window as unknown as { __copied: string[] }).__copied),
      (c) => c.length === 1,
      'a copy',
    );
    expect(fetchCode).toContain('fetch("https://api.os.uk/search/places/v1/find?query=10+Downing+Street")');
    expect(fetchCode).not.toContain(KEY);

    // The tile's preview (the body DevTools would hand over, base64) and no key anywhere in the page.
    await panel.evaluate(() => (document.querySelectorAll('table.requests tbody tr')[0] as HTMLElement).click());
    await until(
      () => panel.evaluate(() => document.querySelector('aside img.preview')?.getAttribute('alt') ?? ''),
      (a) => a.startsWith('Tile preview'),
      'the tile preview',
    );
    expect(await panel.evaluate(() => document.documentElement.outerHTML)).not.toContain(KEY);
    await panel.close();
  });
});
