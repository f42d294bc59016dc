// The DevTools "OS API" panel (issue 17), in headless Chromium with the built extension.
//
// What is real and what is not: a page on 127.0.0.1 makes real requests through the extension to
// the OS API mock (200, 401 from a project without the API, 429), and the background records
// them as usual; CDP's Network events of that real run (what DevTools builds its HAR from) are
// turned into HAR entries (the shape `devtools.network.onRequestFinished` hands a panel, with bodies). The panel is then
// the real built panel page, opened as an extension page, with only the `devtools` namespace
// standing in (DevTools' own frontend does not list the extension's panel in headless Chromium:
// docs/devtools-panel.md). Its credential column comes from the real background's activity log.
// The devtools page is checked to register the panel with the right title and page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EXTENSION_DIR, credentialsIn, savePopupScreenshot } from './extension-harness';
import { recordApiRequests } from '../../scripts/cdp-har.mjs';
import { ext, mock, openTab, sessionForThisFile } from './session-fixture';

const KEY = 'DEVTOOLSkey00000000000000000001';
const TILE = 'https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/63/42.png';

let page: Page;
let tabId: number;
/** HAR-shaped entries of the page's api.os.uk requests, with their bodies. */
const recorded: { entry: Record<string, unknown>; body: string; encoding: string }[] = [];

/**
 * Record the page's api.os.uk requests over CDP's Network domain, as DevTools does for its HAR
 * (scripts/cdp-har.mjs: the headers actually sent, after the extension's rules), with their bodies.
 */
async function recordHar(p: Page): Promise<() => Promise<void>> {
  const cdp = await ext.context.newCDPSession(p);
  recordApiRequests(cdp, (entry, requestId) => {
    void cdp.send('Network.getResponseBody', { requestId }).then(
      ({ body, base64Encoded }) => {
        // The panel shows the body's own size, as DevTools' HAR content.size does.
        const response = entry.response as { content: { size: number } };
        response.content.size = body.length;
        recorded.push({ entry, body, encoding: base64Encoded ? 'base64' : '' });
      },
      (err: unknown) => console.log('getResponseBody failed', err),
    );
  });
  await cdp.send('Network.enable');
  return () => cdp.detach();
}

sessionForThisFile({
  mock: { projects: [{ key: KEY, plan: 'live', apis: ['maps-raster', 'names'] }] },
  pages: true,
  launch: { grantForTests: { permissions: ['tabs'] } },
  projects: [{ name: 'Alpha', key: KEY, mode: 'Key header' }],
  active: { name: 'Alpha', key: KEY },
  keepPopup: false,
});

beforeAll(async () => {
  ({ page, tabId } = await openTab('127.0.0.1', `/?devtools-${Date.now()}`));
  const stopRecording = await recordHar(page);
  // Bodies are read, as a map would: the request finishes (for DevTools) once its body is in.
  const fetchAll = (urls: string[]) =>
    page.evaluate(async (list) => {
      const out: number[] = [];
      for (const u of list) {
        const res = await fetch(u);
        await res.arrayBuffer();
        out.push(res.status);
      }
      return out;
    }, urls);
  const statuses = await fetchAll([
    TILE,
    'https://api.os.uk/search/names/v1/find?query=Southampton',
    'https://api.os.uk/search/places/v1/find?query=10%20Downing%20Street',
  ]);
  mock.forceStatus([{ pathPrefix: '/search/names/v1/find', status: 429, times: 1 }]);
  statuses.push(...(await fetchAll(['https://api.os.uk/search/names/v1/find?query=busy'])));
  mock.forceStatus(null);
  expect(statuses).toEqual([200, 200, 401, 429]);
  for (let i = 0; i < 100 && recorded.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
  expect(recorded).toHaveLength(4);
  await stopRecording();
  recorded.sort((a, b) => String(a.entry.startedDateTime).localeCompare(String(b.entry.startedDateTime)));
}, 90_000);

/** The real panel page, with a `devtools` namespace that hands it `recorded` on demand. */
async function openPanel(): Promise<Page> {
  const panel = await ext.context.newPage();
  await panel.addInitScript((inspected) => {
    type Listener = (r: unknown) => void;
    const finished: Listener[] = [];
    const navigated: Listener[] = [];
    const w = window as unknown as {
      __finish(r: unknown): void;
      __navigate(url: string): void;
      __copied: string[];
      __listening(): boolean;
    };
    w.__copied = [];
    w.__finish = (r) => finished.forEach((f) => f(r));
    w.__listening = () => finished.length > 0;
    w.__navigate = (url) => navigated.forEach((f) => f(url));
    // On both namespaces: Chromium 148+ has `browser` too, which the extension's pages prefer.
    const namespaces = [chrome, (globalThis as { browser?: unknown }).browser].filter(Boolean) as Record<
      string,
      unknown
    >[];
    for (const ns of namespaces)
      ns.devtools = {
        inspectedWindow: { tabId: inspected },
        network: {
          onRequestFinished: { addListener: (f: Listener) => finished.push(f), removeListener: () => undefined },
          onNavigated: { addListener: (f: Listener) => navigated.push(f), removeListener: () => undefined },
        },
      };
    // Copies are captured rather than put on the clipboard (headless has none to read back).
    document.execCommand = (cmd: string) => {
      if (cmd === 'copy') w.__copied.push((document.activeElement as HTMLTextAreaElement | null)?.value ?? '');
      return true;
    };
  }, tabId);
  await panel.setViewportSize({ width: 1280, height: 700 });
  await panel.goto(`chrome-extension://${ext.extensionId}/src/devtools/panel.html`);
  await panel.getByRole('table', { name: 'OS API requests' }).waitFor();
  // The panel subscribes in an effect, after its first render: requests handed over before that are lost.
  await panel.waitForFunction(() => (window as unknown as { __listening(): boolean }).__listening());
  await feed(panel);
  return panel;
}

/** Hand the panel the recorded requests, as DevTools does when they finish. */
const feed = (panel: Page) =>
  panel.evaluate((list) => {
    const w = window as unknown as { __finish(r: unknown): void };
    for (const { entry, body, encoding } of list)
      w.__finish({ ...entry, getContent: (cb: (c: string, e: string) => void) => cb(body, encoding) });
  }, recorded);
const navigate = (panel: Page) =>
  panel.evaluate(() => (window as unknown as { __navigate(url: string): void }).__navigate('http://127.0.0.1/next'));

/** The background's view of the inspected tab: the active project and the tab's pin. */
const tabState = (from: Page) =>
  from.evaluate(async (id) => {
    type Reply = { value?: { activeProjectId: string | null; page: { pin?: string | null } | null } };
    const reply = await chrome.runtime.sendMessage<unknown, Reply>({
      channel: 'os-api-keyring',
      type: 'getState',
      args: { tab: { id } },
    });
    return reply.value ? { active: reply.value.activeProjectId, pin: reply.value.page?.pin } : null;
  }, tabId);

const rowsOf = (panel: Page) =>
  panel
    .locator('table.requests tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));

describe('DevTools "OS API" panel', () => {
  it('the devtools page registers the panel "OS API" with the panel page', async () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
      devtools_page?: string;
    };
    expect(manifest.devtools_page).toBe('src/devtools/devtools.html');
    const dt = await ext.context.newPage();
    await dt.addInitScript(() => {
      const w = window as unknown as { __created: unknown[] };
      w.__created = [];
      const fake = { panels: { create: (...args: unknown[]) => void w.__created.push(args.slice(0, 3)) } };
      for (const ns of [chrome, (globalThis as { browser?: unknown }).browser].filter(Boolean) as Record<
        string,
        unknown
      >[])
        ns.devtools = fake;
    });
    await dt.goto(`chrome-extension://${ext.extensionId}/${manifest.devtools_page}`);
    await expect
      .poll(() => dt.evaluate(() => (window as unknown as { __created: unknown[] }).__created))
      .toEqual([['OS API', 'icons/icon-32.png', 'src/devtools/panel.html']]);
    await dt.close();
  });

  it('lists the tab’s requests with the credential each carried and OS’s reason; no key in the DOM', async () => {
    // The recorded entries do hold the key (the header the extension added): the panel must drop it.
    expect(JSON.stringify(recorded)).toContain(KEY);
    const panel = await openPanel();
    await expect
      .poll(async () => (await rowsOf(panel)).map((r) => r[7]))
      .toEqual(['Alpha (Key header)', 'Alpha (Key header)', 'Alpha (Key header)', 'Alpha (Key header)']);
    const rows = await rowsOf(panel);
    expect(rows.map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
      ['GET', 'OS Maps API', '/maps/raster/v1/zxy/Light_3857/7/63/42.png', '200'],
      ['GET', 'OS Names API', '/search/names/v1/find?query=Southampton', '200'],
      ['GET', 'OS Places API', '/search/places/v1/find?query=10%20Downing%20Street', '401'],
      ['GET', 'OS Names API', '/search/names/v1/find?query=busy', '429'],
    ]);
    expect(rows[0]?.[5]).toMatch(/\d+(\.\d)? (B|kB)/);
    expect(rows[2]?.[8]).toMatch(
      /^Key not enabled for OS Places API: The key is valid, but its OS Data Hub project does not include OS Places API/,
    );
    expect(rows[3]?.[8]).toMatch(/^Rate limited/);
    expect(rows[0]?.[8]).toBe('');
    await expect(panel.getByRole('combobox', { name: 'Project for this tab' }).inputValue()).resolves.not.toBe('');
    await expect(panel.getByLabel('Usage in the last minute').textContent()).resolves.toMatch(
      /OS Maps API: 1 of 50 a minute|OS Names API: \d+ of 50 a minute/,
    );

    // Details of the 401: the query table, the header the extension added (masked), OS's body.
    await panel.getByRole('cell', { name: '/search/places/v1/find?query=10%20Downing%20Street' }).click();
    const details = panel.getByRole('complementary', { name: 'Request details' });
    await expect.poll(() => details.locator('pre.body').textContent()).toContain('"errorcode"');
    await expect(details.locator('pre.body').textContent()).resolves.toContain('InvalidApiKeyForGivenResource');
    await expect(details.textContent()).resolves.toContain('query10 Downing Street');
    // The key header as sent (CDP reports the headers after the extension's rules), masked.
    await expect(details.textContent()).resolves.toMatch(/key( \(added by the extension\))?…redacted…/);
    await savePopupScreenshot(panel, 'devtools-panel', 'div.panel');
    // Copy as fetch: no key; Copy as curl: the credential, through the background's checks, on the clipboard only.
    await details.getByRole('button', { name: 'Copy as fetch' }).click();
    await details.getByRole('button', { name: 'Copy as curl' }).click();
    await expect
      .poll(() => panel.evaluate(() => (window as unknown as { __copied: string[] }).__copied.length))
      .toBe(2);
    const [fetchCode, curl] = await panel.evaluate(() => (window as unknown as { __copied: string[] }).__copied);
    expect(fetchCode).toContain('fetch("https://api.os.uk/search/places/v1/find?query=10+Downing+Street")');
    expect(fetchCode).not.toContain(KEY);
    expect(curl).toContain(KEY);
    expect(curl).toMatch(/^curl /);

    // Filters and Clear.
    await panel.getByRole('searchbox', { name: 'Filter' }).fill('status:4xx');
    await expect.poll(async () => (await rowsOf(panel)).length).toBe(2);
    await panel.getByRole('searchbox', { name: 'Filter' }).fill('api:names');
    await expect.poll(async () => (await rowsOf(panel)).length).toBe(2);
    await panel.getByRole('searchbox', { name: 'Filter' }).fill('');
    await panel.getByRole('checkbox', { name: 'Failures only' }).check();
    await expect.poll(async () => (await rowsOf(panel)).map((r) => r[4])).toEqual(['401', '429']);

    // Nothing secret anywhere in the page (the curl command went to the clipboard only).
    const html = await panel.evaluate(() => document.documentElement.outerHTML);
    expect(html).not.toContain(KEY);
    await panel.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(async () => (await rowsOf(panel)).length).toBe(0);
    await panel.close();
  });

  it('a navigation clears the list unless Preserve log is on', async () => {
    const panel = await openPanel();
    await expect.poll(async () => (await rowsOf(panel)).length).toBe(4);
    await navigate(panel);
    await expect.poll(async () => (await rowsOf(panel)).length).toBe(0);
    await panel.getByRole('checkbox', { name: 'Preserve log' }).check();
    await feed(panel);
    await expect.poll(async () => (await rowsOf(panel)).length).toBe(4);
    await navigate(panel);
    await feed(panel);
    await expect.poll(async () => (await rowsOf(panel)).length).toBe(8);
    await panel.close();
  });

  it('the header switches the project and pins one to the inspected tab, without leaving DevTools', async () => {
    const panel = await openPanel();
    const select = panel.getByRole('combobox', { name: 'Project for this tab' });
    await expect
      .poll(() => select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent))
      .toBe('Alpha (Key header)');
    const alpha = await select.inputValue();
    // Off for every tab: the background's active project and its rules follow.
    await select.selectOption({ label: 'Off' });
    await expect.poll(() => tabState(panel)).toMatchObject({ active: null });
    await ext.waitForRules((r) => !credentialsIn(r).includes(KEY), 'Off');
    // Pinned to this tab: Alpha for the inspected tab only, while the others stay Off.
    await select.selectOption({ label: 'Alpha (Key header)' });
    await expect.poll(() => tabState(panel)).toMatchObject({ active: alpha });
    await panel.getByRole('checkbox', { name: 'Pin to this tab' }).check();
    await expect.poll(() => tabState(panel)).toMatchObject({ pin: alpha });
    await select.selectOption({ label: 'Off' });
    await expect.poll(() => tabState(panel)).toMatchObject({ active: alpha, pin: null });
    await panel.getByRole('checkbox', { name: 'Pin to this tab' }).uncheck();
    await expect.poll(() => tabState(panel)).toMatchObject({ pin: undefined });
    await expect
      .poll(() => select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent))
      .toBe('Alpha (Key header)');
    await ext.waitForRules((r) => credentialsIn(r).includes(KEY), 'Alpha again');
    await panel.close();
  });
});
