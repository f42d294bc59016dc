// End to end in real headless Chromium with the built extension: projects are added and switched
// through the real popup, and every assertion is about what the local OS API mock received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startOsApiMock, type OsApiMock, type RecordedRequest } from '../mock/os-api-mock';
import { credentialsIn, launchWithExtension, savePopupScreenshot, type ExtensionSession } from './extension-harness';
import { startPageServer, type PageServer } from './page-server';
import { activate, addProject, editMode } from './popup-actions';

const STAGING_KEY = 'STAGINGkey000000000000000001';
const LIVE_KEY = 'LIVEkey00000000000000000002';
const TILE = '/maps/raster/v1/zxy/Road_3857/7/63/42.png';
const NAMES = '/search/names/v1/find?query=Southampton';

let mock: OsApiMock;
let pages: PageServer;
let ext: ExtensionSession;
let popup: Page;
let page: Page;
let marker = 0;

/** A unique query marker so each assertion finds exactly its own request in the mock's log. */
const tag = () => `t${Date.now()}x${++marker}`;

async function received(pred: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
  return mock.waitForRequest(pred, 5_000);
}

/** fetch from the page (initiator = the page's origin); returns status and JSON body. */
async function fetchFromPage(url: string): Promise<{ status: number; body: unknown }> {
  return page.evaluate(async (u) => {
    const res = await fetch(u);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  }, url);
}

/** Load an <img> from the page; resolves with whether it loaded. */
async function imgFromPage(url: string): Promise<boolean> {
  return page.evaluate(
    (u) =>
      new Promise<boolean>((resolve) => {
        const img = new Image();
        img.onload = () => resolve(true);
        img.onerror = () => resolve(false);
        img.src = u;
        document.body.append(img);
      }),
    url,
  );
}

beforeAll(async () => {
  mock = await startOsApiMock({ projects: [{ key: STAGING_KEY, plan: 'live' }, { key: LIVE_KEY, plan: 'live' }] });
  pages = await startPageServer();
  ext = await launchWithExtension({ mockPort: mock.port });
  popup = await ext.openPopup();
  page = await ext.context.newPage();
});

afterAll(async () => {
  await ext?.close();
  await pages?.close();
  await mock?.close();
});

beforeEach(() => mock.clear());

describe('setting up in the popup', () => {
  it('starts Off with the empty-state hint and the keyboard shortcut shown', async () => {
    await expect(popup.getByRole('radio', { name: 'Off' }).isChecked()).resolves.toBe(true);
    await expect(popup.getByText('No projects yet.').isVisible()).resolves.toBe(true);
    await expect(popup.locator('kbd').textContent()).resolves.toBe('Alt+Shift+K');
    expect(await ext.rules()).toEqual([]);
  });

  it('an invalid key is refused with a message saying which character, and nothing is saved', async () => {
    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Add project' }).click();
    await popup.getByRole('textbox', { name: 'Name' }).fill('Broken');
    await popup.getByRole('textbox', { name: 'API key' }).fill('abc def');
    await popup.getByRole('button', { name: 'Save' }).click();
    await expect(popup.getByRole('alert').first().textContent()).resolves.toMatch(/contains a space \(character 4\)/);
    await popup.getByRole('button', { name: 'Cancel' }).click();
    await expect(popup.getByRole('radio', { name: 'Broken' }).count()).resolves.toBe(0);
    const stored = await (await ext.worker()).evaluate(() => chrome.storage.local.get('keyring'));
    expect(JSON.stringify(stored)).not.toContain('Broken');
  });

  it('adds two projects; saving does not activate; keys are masked in the popup', async () => {
    await addProject(popup, { name: 'Staging', key: STAGING_KEY, mode: 'Key header', badge: 'STG' });
    await addProject(popup, { name: 'Live', key: LIVE_KEY, mode: 'Key header' });
    await expect(popup.getByRole('radio', { name: 'Off' }).isChecked()).resolves.toBe(true);
    const text = (await popup.locator('main').textContent()) ?? '';
    expect(text).toContain('••••••••0001');
    expect(text).not.toContain(STAGING_KEY);
    expect(await ext.rules()).toEqual([]);
    // Off: no credential on a typed URL.
    const t = tag();
    await page.goto(`https://api.os.uk${TILE}?${t}`);
    const r = await received((x) => x.url.includes(t));
    expect(r.credential.source).toBe('none');
    expect(r.status).toBe(401);
  });
});

describe('key header mode', () => {
  beforeAll(async () => {
    await activate(popup, 'Staging');
    await ext.waitForRules((r) => credentialsIn(r).includes(STAGING_KEY), 'Staging active');
  });

  it('a typed OS API URL (top-level navigation) carries the key header', async () => {
    const t = tag();
    const response = await page.goto(`https://api.os.uk${TILE}?${t}`);
    expect(response?.status()).toBe(200);
    const r = await received((x) => x.url.includes(t));
    expect(r.headers.key).toBe(STAGING_KEY);
    expect(r.query.key).toBeUndefined();
  });

  it('fetch and <img> from a page on 127.0.0.1 carry it, and the fetch is readable', async () => {
    await page.goto(pages.url('127.0.0.1'));
    const t = tag();
    const res = await fetchFromPage(`https://api.os.uk${NAMES}&${t}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ header: expect.any(Object), results: expect.any(Array) });
    expect((await received((x) => x.url.includes(t))).headers.key).toBe(STAGING_KEY);

    const t2 = tag();
    expect(await imgFromPage(`https://api.os.uk${TILE}?${t2}`)).toBe(true);
    const img = await received((x) => x.url.includes(t2));
    expect(img.headers.key).toBe(STAGING_KEY);
    expect(img.status).toBe(200);
  });

  it('pages on http://localhost and http://[::1] get it too', async () => {
    for (const host of ['localhost', '[::1]']) {
      await page.goto(pages.url(host));
      const t = tag();
      const res = await fetchFromPage(`https://api.os.uk${NAMES}&${t}`);
      expect(res.status, host).toBe(200);
      expect((await received((x) => x.url.includes(t))).headers.key, host).toBe(STAGING_KEY);
    }
  });

  it('a page on another site gets nothing (its request reaches the API without a key)', async () => {
    await page.goto(pages.url('other.test'));
    const t = tag();
    const res = await fetchFromPage(`https://api.os.uk${NAMES}&${t}`);
    expect(res.status).toBe(401);
    const r = await received((x) => x.url.includes(t));
    expect(r.credential.source).toBe('none');
    expect(r.headers.key).toBeUndefined();
  });

  it('another host never gets the key: navigation, page fetch and frames', async () => {
    const t = tag();
    await page.goto(`https://example.test/nav?${t}`);
    await page.goto(pages.url('127.0.0.1'));
    const t2 = tag();
    await fetchFromPage(`https://example.test/fetch?${t2}`);
    const nav = await received((x) => x.url.includes(t));
    const fetched = await received((x) => x.url.includes(t2));
    for (const r of [nav, fetched]) {
      expect(r.host).toBe('example.test');
      expect(r.headers.key).toBeUndefined();
      expect(r.headers.authorization).toBeUndefined();
      expect(r.query.key).toBeUndefined();
    }
  });

  it('an iframe on a local page carries it; the extension’s own requests never do', async () => {
    await page.goto(pages.url('127.0.0.1'));
    const t = tag();
    await page.evaluate((u) => {
      const frame = document.createElement('iframe');
      frame.src = u;
      document.body.append(frame);
    }, `https://api.os.uk/__echo?${t}`);
    expect((await received((x) => x.url.includes(t))).headers.key).toBe(STAGING_KEY);

    const t2 = tag();
    const status = await (await ext.worker()).evaluate(async (u) => (await fetch(u)).status, `https://api.os.uk${NAMES}&${t2}`);
    const own = await received((x) => x.url.includes(t2));
    expect(own.credential.source).toBe('none');
    expect(status).toBe(401);
  });

  it('the toolbar shows the project: badge text and colour, title with project and mode', async () => {
    const toolbar = await (await ext.worker()).evaluate(async () => ({
      text: await chrome.action.getBadgeText({}),
      color: await chrome.action.getBadgeBackgroundColor({}),
      title: await chrome.action.getTitle({}),
    }));
    expect(toolbar.text).toBe('STG');
    expect(toolbar.title).toBe('OS API Keyring: Staging (Key header)');
    expect(toolbar.color.slice(0, 3)).toEqual([0x1d, 0x70, 0xb8]);
  });
});

describe('key query parameter mode', () => {
  beforeAll(async () => {
    await editMode(popup, 'Staging', 'Key query parameter');
    await ext.waitForRules((r) => r.some((x) => x.action.type === 'redirect'), 'query rules');
  });

  it('navigation gets key=… (replacing a wrong key already in the URL) and no key header', async () => {
    const t = tag();
    await page.goto(`https://api.os.uk${TILE}?${t}&key=WRONG`);
    const r = await received((x) => x.url.includes(t));
    expect(r.query.key).toBe(STAGING_KEY);
    expect(r.headers.key).toBeUndefined();
    expect(r.status).toBe(200);
    expect(mock.requests.filter((x) => x.url.includes(t))).toHaveLength(1); // the un-keyed URL never reached the server
    expect(page.url()).toContain(`key=${STAGING_KEY}`);
  });

  it('fetch from a local page gets key=… and stays readable', async () => {
    await page.goto(pages.url('127.0.0.1'));
    const t = tag();
    const res = await fetchFromPage(`https://api.os.uk${NAMES}&${t}`);
    expect(res.status).toBe(200);
    const r = await received((x) => x.url.includes(t));
    expect(r.query.key).toBe(STAGING_KEY);
    expect(r.query.query).toBe('Southampton');
  });

  afterAll(async () => {
    await editMode(popup, 'Staging', 'Key header');
  });
});

describe('switching', () => {
  it('choosing another project in the popup changes the credential on the next request', async () => {
    await activate(popup, 'Live');
    await page.goto(pages.url('127.0.0.1'));
    const t = tag();
    await fetchFromPage(`https://api.os.uk${NAMES}&${t}`);
    expect((await received((x) => x.url.includes(t))).headers.key).toBe(LIVE_KEY);
    expect(credentialsIn(await ext.rules())).toEqual([LIVE_KEY]);
    await savePopupScreenshot(popup, 'popup-projects');
  });

  it('while switching back and forth under load, every request carries exactly one project’s key', async () => {
    await page.goto(pages.url('127.0.0.1'));
    const t = tag();
    // The page fires requests continuously while the popup switches projects.
    const load = page.evaluate(async (prefix) => {
      const statuses: number[] = [];
      const stopAt = Date.now() + 1500;
      for (let i = 0; Date.now() < stopAt; i++) statuses.push((await fetch(`https://api.os.uk/__echo?${prefix}-${i}`)).status);
      return statuses;
    }, t);
    for (const name of ['Staging', 'Live', 'Staging', 'Live']) await activate(popup, name);
    const statuses = await load;
    const seen = mock.requests.filter((x) => x.url.includes(t));
    expect(seen.length).toBe(statuses.length);
    expect(seen.length).toBeGreaterThan(10);
    for (const r of seen) {
      expect([STAGING_KEY, LIVE_KEY]).toContain(r.headers.key);
      expect(r.headers.key).not.toContain(','); // never two values merged
      expect(r.status).toBe(200);
    }
    expect(new Set(seen.map((r) => r.headers.key)).size).toBe(2);
  });

  it('Off removes the credential, the badge and the coloured icon', async () => {
    await activate(popup, 'Off');
    await ext.waitForRules((r) => r.length === 0, 'no rules when Off');
    const t = tag();
    await page.goto(`https://api.os.uk${TILE}?${t}`);
    const r = await received((x) => x.url.includes(t));
    expect(r.credential.source).toBe('none');
    const toolbar = await (await ext.worker()).evaluate(async () => ({ text: await chrome.action.getBadgeText({}), title: await chrome.action.getTitle({}) }));
    expect(toolbar).toEqual({ text: '', title: 'OS API Keyring: Off (no credential attached)' });
  });
});

describe('service worker stopped and restarted', () => {
  it('leaves the right rules in place and keeps attaching the key', async () => {
    await activate(popup, 'Live');
    const before = await ext.waitForRules((r) => credentialsIn(r).includes(LIVE_KEY), 'Live active');
    // A marker in the worker's global scope tells an old instance from a restarted one.
    await (await ext.worker()).evaluate(() => {
      (self as unknown as { __marker: string }).__marker = 'before-stop';
    });
    await ext.stopWorker();
    expect(await ext.workerStatus()).toBe('STOPPED');

    // With no worker running, the session rules still apply.
    const t = tag();
    await page.goto(`https://api.os.uk${TILE}?${t}`);
    expect((await received((x) => x.url.includes(t))).headers.key).toBe(LIVE_KEY);

    // Waking it (the popup asks for state) restarts it; its start-up reconcile changes nothing.
    await popup.reload();
    await popup.getByRole('radio', { name: 'Live', exact: true }).waitFor();
    await expect(popup.getByRole('radio', { name: 'Live', exact: true }).isChecked()).resolves.toBe(true);
    expect(await ext.workerStatus()).toBe('RUNNING');
    expect(await (await ext.worker()).evaluate(() => (self as unknown as { __marker?: string }).__marker ?? 'fresh')).toBe('fresh');
    expect(await ext.rules()).toEqual(before);

    // And the restarted worker still switches correctly.
    await activate(popup, 'Staging');
    const t2 = tag();
    await page.goto(`https://api.os.uk${TILE}?${t2}`);
    expect((await received((x) => x.url.includes(t2))).headers.key).toBe(STAGING_KEY);
  });
});
