// Activity and monitoring, end to end in Chromium against the mock: requests answered 200, 401,
// 403 and 429 appear in the options page's activity table with the project, mode and explanation;
// the badge goes to its warning state and back once the alert is seen; the popup's rate meter
// counts; Check access against a mock project with only some APIs shows exactly those, one with
// every API shows all OK, and probes OS answers 404/500 show "could not check"; and no
// secret is in any stored activity record.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { credentialsIn, savePopupScreenshot } from './extension-harness';
import { activate } from './popup-actions';
import { ext, mock, openTab, pages, popup, sessionForThisFile } from './session-fixture';

// Alpha's project has only two APIs; Beta's has all of them.
const KEY_A = 'MONkeyAlpha000000000000000000001';
const KEY_B = 'MONkeyBeta0000000000000000000002';
/** A z7 tile in Web Mercator (x, y in 0–127). */
const TILE = (x: number, y: number) => `https://api.os.uk/maps/raster/v1/zxy/Light_3857/7/${x}/${y}.png`;

let page: Page;
let tabId: number;

sessionForThisFile({
  mock: {
    projects: [
      { key: KEY_A, mode: 'live', apis: ['maps-raster', 'names'] },
      { key: KEY_B, mode: 'dev' },
    ],
  },
  pages: true,
  // `tabs` stands in for the activeTab grant (the popup sees its tab); other.test's host
  // permission lets the browser report that site's requests, which the rules still leave bare.
  launch: { grantForTests: { permissions: ['tabs'], hostPermissions: ['http://other.test/*'] } },
  projects: [
    { name: 'Alpha', key: KEY_A, mode: 'Key header' },
    { name: 'Beta', key: KEY_B, mode: 'Key query parameter' },
  ],
  active: { name: 'Alpha', key: KEY_A },
});

beforeAll(async () => {
  ({ page, tabId } = await openTab('127.0.0.1', `/?monitoring-${Date.now()}`));
});

/** fetch() from the page; resolves with the status the page saw. */
function fetchFrom(p: Page, url: string): Promise<number> {
  return p.evaluate(async (u) => (await fetch(u)).status, url);
}

const badge = async () =>
  (await ext.worker()).evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    colour: await chrome.action.getBadgeBackgroundColor({}),
    title: await chrome.action.getTitle({}),
  }));

/** The options page's activity grid, line by line as text (each line: cells joined by " | "). */
async function tableRows(options: Page): Promise<string[]> {
  return options
    .locator('table.activity tbody tr.row')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()).join(' | ')),
    );
}

/** The explanation in the details drawer of each grid line, in order ('' for a line without one). */
async function explanations(options: Page): Promise<string[]> {
  const out: string[] = [];
  const count = await options.locator('table.activity tbody tr.row').count();
  for (let i = 0; i < count; i++) {
    await options.locator('table.activity tbody tr.row').nth(i).click();
    const drawer = options.getByRole('region', { name: 'Request details' });
    await drawer.waitFor();
    const explanation = drawer.locator('.explanation');
    out.push((await explanation.count()) ? ((await explanation.textContent()) ?? '') : '');
  }
  return out;
}

describe('activity and alerts', () => {
  it('lists 200, 401, 403 and 429 with the project, mode and an explanation; the badge warns until seen', async () => {
    expect(await fetchFrom(page, TILE(63, 40))).toBe(200);
    // Places is not in Alpha's project: the real gateway's 401 (three of them make a burst).
    for (let i = 0; i < 3; i++)
      expect(await fetchFrom(page, `https://api.os.uk/search/places/v1/find?query=a${i}`)).toBe(401);
    mock.forceStatus([
      { pathPrefix: '/search/names/v1/find', status: 403, times: 1 },
      { pathPrefix: '/maps/raster/v1/zxy/Light_3857/7/63/45', status: 429, times: 1 },
    ]);
    expect(await fetchFrom(page, 'https://api.os.uk/search/names/v1/find?query=forced')).toBe(403);
    expect(await fetchFrom(page, TILE(63, 45))).toBe(429);
    mock.forceStatus(null);
    // The mock received the key on every one of them.
    expect(
      mock.requests.filter((r) => r.host === 'api.os.uk' && r.method === 'GET').every((r) => r.headers.key === KEY_A),
    ).toBe(true);

    await expect.poll(async () => (await badge()).text).toBe('!');
    const warned = await badge();
    expect(warned.colour).toEqual([179, 89, 0, 255]); // #b35900, the warning colour (red is for errors)
    expect(warned.title).toMatch(/Alert: /);

    const options = await ext.openOptions();
    // A full tab is wide (the harness's default viewport is popup-sized, where the details drawer covers the grid).
    await options.setViewportSize({ width: 1280, height: 900 });
    // Six requests on four lines: the three identical Places 401s are one group line (×3).
    await expect.poll(() => tableRows(options)).toHaveLength(4);
    const rows = await tableRows(options);
    // Newest first; the tab by its title.
    expect(rows[0]).toMatch(
      /GET \| OS Maps API \| \/maps\/raster\/v1\/zxy\/Light_3857\/7\/63\/45\.png \| 429 \| \d+ ms \| Alpha \(Key header\) \| test page \| http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(rows[1]).toMatch(
      /OS Names API \| \/search\/names\/v1\/find\?query=forced \| 403 \| .* \| Alpha \(Key header\)/,
    );
    expect(rows[2]).toMatch(/OS Places API .* \| 401×3 \| .* \| Alpha \(Key header\)/);
    expect(rows[3]).toMatch(/OS Maps API .* \| 200 \| .* \| Alpha \(Key header\)/);
    const explained = await explanations(options);
    expect(explained[0]).toMatch(
      /^Rate limited by OS: OS rate-limited this project's requests to OS Maps API \(HTTP 429\)\..*What to do:/,
    );
    expect(explained[1]).toMatch(/^Access denied: /);
    expect(explained[2]).toMatch(
      /^Not authorised: OS refused the credential: the key may be wrong, or its project may not include OS Places API/,
    );
    expect(explained[3]).toBe('');
    // The group opens into its three requests, from its details.
    await options.locator('table.activity tbody tr.row').nth(2).click();
    await options.getByRole('button', { name: 'List each request' }).click();
    await expect.poll(() => tableRows(options)).toHaveLength(7);
    // The alerts were shown on the page, and seeing them clears the badge's warning.
    const shown = (await options.locator('ul.alerts').textContent()) ?? '';
    expect(shown).toContain('OS Places API refused 3 requests (401/403) in the last 30 s with Alpha.');
    expect(shown).toContain('OS rate-limited this project (Alpha) on OS Maps API (HTTP 429).'); // what happened, not a guessed cause
    expect(shown).not.toContain('OS Names API refused'); // one 403 is not a burst
    await expect.poll(async () => (await badge()).text).toBe('ALPH');
    await savePopupScreenshot(options, 'options-activity', 'section[aria-labelledby="activity-title"]');

    // Filters: only failures of the Maps API.
    await options.getByRole('combobox', { name: 'API', exact: true }).selectOption('OS Maps API');
    await options.getByRole('combobox', { name: 'Status', exact: true }).selectOption('failed');
    await expect.poll(() => tableRows(options)).toHaveLength(1);
    await options.close();
  });

  it('says why nothing was attached: a site that is not allowed, and Off', async () => {
    mock.clear();
    const other = await ext.context.newPage();
    await other.goto(pages.url('other.test', '/other'));
    expect(await fetchFrom(other, TILE(63, 50))).toBe(401);
    await activate(popup, 'Off');
    await ext.waitForRules((r) => r.length === 0, 'Off');
    expect(await fetchFrom(page, TILE(63, 51))).toBe(401);
    expect(mock.requests.filter((r) => r.path.includes('/7/63/5')).map((r) => r.credential.source)).toEqual([
      'none',
      'none',
    ]);
    const options = await ext.openOptions();
    await expect
      .poll(async () => (await tableRows(options)).slice(0, 2))
      .toEqual([
        expect.stringMatching(/\/7\/63\/51\.png \| 401 \| .* \| None: Off \|/),
        expect.stringMatching(
          /\/7\/63\/50\.png \| 401 \| .* \| None: Site not allowed \| .* \| http:\/\/other\.test:\d+/,
        ),
      ]);
    await options.locator('table.activity tbody tr.row').first().click();
    await expect(
      options.getByRole('region', { name: 'Request details' }).locator('.explanation').textContent(),
    ).resolves.toMatch(/^No API key was sent: .* because the keyring is Off/);
    await options.close();
    await other.close();
    await activate(popup, 'Alpha');
    await ext.waitForRules((r) => credentialsIn(r).includes(KEY_A), 'Alpha active again');
  });

  it('the popup counts requests against the mode limit and lists this tab’s last requests', async () => {
    await activate(popup, 'Beta');
    await ext.waitForRules((r) => credentialsIn(r).includes(KEY_B), 'Beta active');
    // Beta is in Development mode: 50 a minute per API; 41 is past 80 %.
    for (let i = 0; i < 41; i++) expect(await fetchFrom(page, TILE(i, 60))).toBe(200);
    expect(
      mock.requests
        .filter((r) => r.path.endsWith('/60.png'))
        .every((r) => r.credential.source === 'query' && r.credential.value === KEY_B),
    ).toBe(true);
    const p = await ext.context.newPage();
    await p.goto(`chrome-extension://${ext.extensionId}/src/popup/index.html?tabId=${tabId}`);
    await expect
      .poll(() => p.getByText(/^OS Maps API: \d+ of 50 a minute/).textContent(), { timeout: 10_000 })
      .toMatch(/^OS Maps API: 41 of 50 a minute: close to the limit$/);
    await p.getByText('Per request; OS may bill tiles in bundles, so this can overstate billing.').waitFor();
    // Time, path and status of this tab's last five requests.
    const recent = p.getByRole('table', { name: 'Recent requests in this tab' }).locator('tbody tr');
    await expect
      .poll(async () =>
        (
          await recent.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
        ).map(([time, path, status]) => `${/^\d\d:\d\d:\d\d$/.test(time ?? '') ? 'hh:mm:ss' : time} ${path} ${status}`),
      )
      // Beta is in query mode: the path is what went out, with the key it carried redacted.
      .toEqual(
        [40, 39, 38, 37, 36].map((i) => `hh:mm:ss /maps/raster/v1/zxy/Light_3857/7/${i}/60.png?key=…redacted… 200`),
      );
    await savePopupScreenshot(p, 'popup-activity');
    // The way to the full page.
    const [opened] = await Promise.all([
      ext.context.waitForEvent('page'),
      p.getByRole('button', { name: 'Open activity and settings' }).click(),
    ]);
    await opened.getByRole('heading', { name: 'OS API Keyring: activity and settings' }).waitFor();
    expect(opened.url()).toBe(`chrome-extension://${ext.extensionId}/src/options/index.html`);
    await opened.close();
    await p.close();
  });

  /** Run Check access for one project on the options page; returns its grid as [API, result, HTTP]. */
  async function checkAccess(options: Page, name: string): Promise<string[][]> {
    const region = options.getByRole('region', { name });
    await region.getByRole('button', { name: 'Check access' }).click();
    await region.getByRole('group', { name: /one request to each of the 10 current OS APIs/ }).waitFor();
    await region.getByRole('button', { name: 'Confirm' }).click();
    const grid = region.getByRole('table', { name: `Access of ${name}` });
    const rows = grid.locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(10);
    await region.getByText(/^Checked 10 OS APIs\.$/).waitFor({ timeout: 15_000 });
    return rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 3).map((c) => c.textContent ?? '')),
    );
  }

  const ALL = [
    'OS Maps API',
    'OS Vector Tile API',
    'OS NGD API – Features',
    'OS NGD API – Tiles',
    'OS Features API',
    'OS Names API',
    'OS Places API',
    'OS Linked Identifiers API',
    'OS Downloads API',
    'OS Net API',
  ];

  it('Check access shows exactly the APIs the mock project has, after the cost warning', async () => {
    const options = await ext.openOptions();
    // A full tab is wide (the harness's default viewport is popup-sized, where the details drawer covers the grid).
    await options.setViewportSize({ width: 1280, height: 900 });
    await options.getByRole('link', { name: 'Keys' }).click();
    const alpha = options.getByRole('region', { name: 'Alpha' });
    mock.clear();
    const grid = await checkAccess(options, 'Alpha');
    expect(grid.map((r) => r[0])).toEqual(ALL);
    expect(grid.filter((r) => r[1] === 'OK').map((r) => [r[0], r[2]])).toEqual([
      ['OS Maps API', '200'],
      ['OS Names API', '200'],
    ]);
    // Every other API: "No access", with OS's 401 and its reason one click away.
    expect(grid.filter((r) => r[1] !== 'OK').map((r) => [r[1], r[2]])).toEqual(Array(8).fill(['No access', '401']));
    const places = alpha.getByRole('row', { name: /^OS Places API/ });
    await places.getByText('Key not enabled for OS Places API').click();
    await places.getByText(/does not include OS Places API/).waitFor();
    // What the mock received: NGD Features' public list without a key, then one item of the
    // current collection, and an NGD tile at zoom 6 (inside the 3857 matrix set), all with Alpha's key.
    const collections = mock.requests.filter((r) => r.path === '/features/ngd/ofa/v1/collections');
    expect(collections.map((r) => r.credential)).toEqual([{ source: 'none' }]);
    const probes = mock.requests.filter((r) => r.headers.key === KEY_A && !r.headers.origin);
    expect(probes).toHaveLength(10);
    expect(probes.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        '/features/ngd/ofa/v1/collections/asu-gbpcd-postcodeunitarea-1/items?limit=1',
        '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles/3857/6/21/31',
        '/positioning/osnet/v1/rinex',
      ]),
    );
    // The activity log books the probes to Alpha: they are the extension's own requests, not a tab's.
    await options.reload();
    await options.getByRole('link', { name: 'Activity' }).click();
    // Hidden at first, as the extension's own requests; listed once asked for.
    await expect
      .poll(
        async () => (await tableRows(options)).filter((r) => /\| Alpha \(Key header\) \| Not a tab \|/.test(r)).length,
      )
      .toBe(0);
    await options.getByRole('checkbox', { name: /^The extension’s own requests/ }).check();
    await expect
      .poll(
        async () => (await tableRows(options)).filter((r) => /\| Alpha \(Key header\) \| Not a tab \|/.test(r)).length,
      )
      .toBe(10);
    // The Places 401s from the page (one group of 3) and the probe are now explained by what Check access read in OS's answer.
    await options.getByRole('searchbox', { name: 'Filter' }).fill('api:places status:401');
    await expect
      .poll(() => tableRows(options))
      .toEqual([expect.stringMatching(/\| 401 \| .*Not a tab/), expect.stringMatching(/\| 401×3 \|/)]);
    expect((await explanations(options)).every((t) => t.startsWith('Key not enabled for OS Places API:'))).toBe(true);
    await savePopupScreenshot(options, 'options-page');
    await options.close();
  });

  it('Check access for a project with every API: all OK; a probe OS answers 404 or 500 is "Could not check", never "No access"', async () => {
    mock.resetRateLimits(); // Beta (Development mode, 50 a minute) loaded 41 tiles in an earlier test
    const options = await ext.openOptions();
    await options.getByRole('link', { name: 'Keys' }).click();
    const beta = options.getByRole('region', { name: 'Beta' });
    mock.clear();
    const all = await checkAccess(options, 'Beta');
    expect(all).toEqual(ALL.map((api): unknown[] => [api, 'OK', expect.stringMatching(/^2\d\d$/) as unknown]));
    expect(mock.requests.filter((r) => r.credential.source === 'query' && r.credential.value === KEY_B)).toHaveLength(
      10,
    );

    // OS answers two probes with errors that say nothing about the key.
    mock.forceStatus([
      { pathPrefix: '/maps/vector/ngd/ota/v1/collections/ngd-base/tiles', status: 404 },
      { pathPrefix: '/positioning/osnet/v1', status: 500 },
    ]);
    try {
      await options.reload();
      const grid = await checkAccess(options, 'Beta');
      expect(grid.find((r) => r[0] === 'OS NGD API – Tiles')).toEqual(['OS NGD API – Tiles', 'Could not check', '404']);
      expect(grid.find((r) => r[0] === 'OS Net API')).toEqual(['OS Net API', 'Could not check', '500']);
      expect(grid.filter((r) => r[1] === 'OK')).toHaveLength(8);
      expect(grid.some((r) => r[1] === 'No access')).toBe(false);
      // The reason quotes the status and OS's own message, and says the key is not in question.
      const tiles = beta.getByRole('row', { name: /^OS NGD API – Tiles/ });
      await tiles.getByText('Could not check: Not found').click();
      await tiles.getByText(/OS says: "Injected failure \(HTTP 404\)".*says nothing about the key/).waitFor();
      await expect
        .poll(() => beta.getByText(/^8 ok, 2 could not check\. OS Match & Cleanse API is not checked/).count())
        .toBe(1);
    } finally {
      mock.forceStatus(null);
    }
    await options.close();
  });

  it('the options page works by keyboard: Tab reaches Check access, Enter asks, the warning takes focus, Cancel closes it', async () => {
    const options = await ext.openOptions();
    await options.getByRole('link', { name: 'Keys' }).click();
    const beta = options.getByRole('region', { name: 'Beta' });
    const target = beta.getByRole('button', { name: 'Check access' });
    let reached = false;
    for (let i = 0; i < 120 && !reached; i++) {
      await options.keyboard.press('Tab');
      reached = await target.evaluate((el) => el === document.activeElement);
    }
    expect(reached).toBe(true);
    await options.keyboard.press('Enter');
    const confirm = beta.getByRole('button', { name: 'Confirm' });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await options.keyboard.press('Tab');
    await options.keyboard.press('Enter'); // Cancel
    await expect.poll(() => beta.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
    await options.close();
  });

  it('reminds to rotate an old key, links to the OS Data Hub, and "I rotated it" restarts the count', async () => {
    // Beta is active; make its key 100 days old in storage, as if saved long ago.
    const worker = await ext.worker();
    await worker.evaluate(async () => {
      const { keyring } = await chrome.storage.local.get('keyring');
      const doc = keyring as { projects: { name: string; keyChangedAt: number }[] };
      for (const p of doc.projects) if (p.name === 'Beta') p.keyChangedAt = Date.now() - 100 * 86_400_000;
      await chrome.storage.local.set({ keyring: doc });
    });
    const p = await ext.context.newPage();
    await p.goto(`chrome-extension://${ext.extensionId}/src/popup/index.html?tabId=${tabId}`);
    const reminder = p.getByText(/^This key is 100 days old\./);
    await reminder.waitFor();
    await expect(p.getByRole('link', { name: 'OS Data Hub projects' }).getAttribute('href')).resolves.toBe(
      'https://osdatahub.os.uk/projects',
    );
    await p.getByRole('button', { name: 'I rotated it' }).click();
    await expect.poll(() => reminder.count()).toBe(0);
    const age = await worker.evaluate(async () => {
      const { keyring } = await chrome.storage.local.get('keyring');
      return (
        Date.now() -
        (keyring as { projects: { name: string; keyChangedAt: number }[] }).projects.find((x) => x.name === 'Beta')!
          .keyChangedAt
      );
    });
    expect(age).toBeLessThan(60_000);
    await p.close();
  });

  it('no stored activity record holds a key or token', async () => {
    await new Promise((r) => setTimeout(r, 1_500)); // the monitor writes in batches every second
    // Everything in session storage except the tokens and the unlocked lock (secrets by design, never activity).
    const stored = await (
      await ext.worker()
    ).evaluate(async () => {
      const session = Object.entries(await chrome.storage.session.get(null)).filter(
        ([k]) => k.startsWith('activityLog.') || k === 'monitorState' || k === 'monitorAlerts',
      );
      return JSON.stringify([session, await chrome.storage.local.get('dailyUsage')]);
    });
    expect(stored).toContain('/maps/raster/v1/zxy/Light_3857/7/63/');
    expect(stored).toContain('key=…redacted…'); // Beta's query-mode requests
    expect(stored).not.toContain(KEY_A);
    expect(stored).not.toContain(KEY_B);
  });
  it('Export CSV downloads the filtered rows without a key; Record activity off stops listing (the key still goes); Clear activity empties it', async () => {
    const options = await ext.openOptions();
    await options.getByRole('combobox', { name: 'Status', exact: true }).selectOption('ok');
    const [download] = await Promise.all([
      options.waitForEvent('download'),
      options.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^os-api-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('time,method,api,label,path,status,durationMs,projectId,mode,reasonNone,tabId,initiator');
    expect(lines.length).toBeGreaterThan(41); // Beta's 41 tiles and more, every one a success
    expect(lines.slice(1).every((l) => l.split(',')[5] === '200')).toBe(true);
    expect(csv).toContain('key=…redacted…');
    expect(csv).not.toContain(KEY_A);
    expect(csv).not.toContain(KEY_B);

    await options.getByRole('link', { name: 'Settings' }).click();
    await options.getByRole('checkbox', { name: 'Record activity' }).uncheck();
    await options.getByRole('status').filter({ hasText: 'Activity recording is off.' }).waitFor();
    mock.clear();
    expect(await fetchFrom(page, TILE(70, 61))).toBe(200);
    expect((await mock.waitForRequest((r) => r.path.endsWith('/70/61.png'))).credential).toEqual({
      source: 'query',
      value: KEY_B,
    });
    // Asked from the options page, as its table does.
    const listed = () =>
      options.evaluate(async () => {
        const reply = await chrome.runtime.sendMessage<unknown, { value: { rows: { path: string }[] } }>({
          channel: 'os-api-keyring',
          type: 'getActivity',
          args: {},
        });
        return reply.value.rows.map((r) => r.path);
      });
    await new Promise((r) => setTimeout(r, 500));
    expect((await listed()).some((p) => p.includes('/70/61.png'))).toBe(false);
    await options.getByRole('checkbox', { name: 'Record activity' }).check();
    await options.getByRole('status').filter({ hasText: 'Recording activity.' }).waitFor();
    expect(await fetchFrom(page, TILE(71, 61))).toBe(200);
    await expect.poll(async () => (await listed()).some((p) => p.includes('/71/61.png'))).toBe(true);

    await options.getByRole('link', { name: 'Activity' }).click();
    await options.getByRole('button', { name: 'Clear activity' }).click();
    await expect.poll(() => tableRows(options)).toEqual([]);
    expect(await listed()).toEqual([]);
    await options.close();
  });
});
