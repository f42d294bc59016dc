// Key header, key query, switching and Off, end to end in a real browser with the built extension:
// projects are added and switched through the real popup, and every assertion is about what the
// local OS API mock received. Shared by Chromium (injection.e2e.test.ts) and Firefox
// (firefox-injection.e2e.test.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OsApiMock, RecordedRequest } from '../../mock/os-api-mock';
import { credentialsIn, type ExtensionDriver, type UiPage } from '../driver';
import { startPageServer, type PageServer } from '../page-server';
import { activate, addProject, editMode } from '../popup-actions';
import type { E2ETarget } from './target';

export const STAGING_KEY = 'STAGINGkey000000000000000001';
export const LIVE_KEY = 'LIVEkey00000000000000000002';
export const TILE = '/maps/raster/v1/zxy/Road_3857/7/63/42.png';
export const NAMES = '/search/names/v1/find?query=Southampton';

/** What a browser-specific file needs to add its own tests after the shared ones. */
export interface InjectionContext<D extends ExtensionDriver> {
  readonly mock: OsApiMock;
  readonly pages: PageServer;
  readonly ext: D;
  readonly popup: UiPage;
  readonly page: UiPage;
  /** A unique query marker so each assertion finds exactly its own request in the mock's log. */
  tag: () => string;
  received: (pred: (r: RecordedRequest) => boolean) => Promise<RecordedRequest>;
}

export function injectionScenarios<D extends ExtensionDriver>(target: E2ETarget<D>): InjectionContext<D> {
  let mock: OsApiMock;
  let pages: PageServer;
  let ext: D;
  let popup: UiPage;
  let page: UiPage;
  let marker = 0;

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

  const toolbarOf = () =>
    ext.inExtension(async () => ({
      text: await chrome.action.getBadgeText({}),
      color: await chrome.action.getBadgeBackgroundColor({}),
      title: await chrome.action.getTitle({}),
    }));

  beforeAll(async () => {
    mock = await target.startMock({
      projects: [
        { key: STAGING_KEY, plan: 'live' },
        { key: LIVE_KEY, plan: 'live' },
      ],
    });
    pages = await startPageServer();
    ext = await target.launch(mock);
    popup = await ext.openPopup();
    page = await ext.newPage();
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
      // Host access came with the install (Chromium; Firefox 127+ and temporary add-ons): no notice.
      expect(
        await ext.inExtension(() =>
          chrome.permissions.contains({
            origins: ['https://api.os.uk/*', 'http://localhost/*', 'http://127.0.0.1/*', 'http://[::1]/*'],
          }),
        ),
      ).toBe(true);
      await expect(popup.getByRole('button', { name: 'Grant access' }).count()).resolves.toBe(0);
    });

    it('an invalid key is refused with a message saying which character, and nothing is saved', async () => {
      await popup.bringToFront();
      await popup.getByRole('button', { name: 'Add project' }).click();
      await popup.getByRole('textbox', { name: 'Name' }).fill('Broken');
      await popup.getByRole('textbox', { name: 'API key' }).fill('abc def');
      await popup.getByRole('button', { name: 'Save', exact: true }).click();
      // The alert region is always in the page: poll until the background's answer fills it.
      await expect
        .poll(() => popup.getByRole('alert').first().textContent(), { timeout: 5_000 })
        .toMatch(/contains a space \(character 4\)/);
      await popup.getByRole('button', { name: 'Cancel' }).click();
      await expect(popup.getByRole('radio', { name: 'Broken' }).count()).resolves.toBe(0);
      const stored = await ext.inExtension(() => chrome.storage.local.get('keyring'));
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
      expect(response.status).toBe(200);
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
      // A frame on the local page (whose own api.os.uk frames do carry the key, see below).
      const t3 = tag();
      await page.evaluate((u) => {
        const frame = document.createElement('iframe');
        frame.src = u;
        document.body.append(frame);
      }, `https://example.test/frame?${t3}`);
      const nav = await received((x) => x.url.includes(t));
      const fetched = await received((x) => x.url.includes(t2));
      const framed = await received((x) => x.url.includes(t3));
      for (const r of [nav, fetched, framed]) {
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
      const status = await ext.inExtension(async (u) => (await fetch(u)).status, `https://api.os.uk${NAMES}&${t2}`);
      const own = await received((x) => x.url.includes(t2));
      expect(own.credential.source).toBe('none');
      expect(status).toBe(401);
    });

    it('the toolbar shows the project: badge text and colour, title with project and mode', async () => {
      const toolbar = await toolbarOf();
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
      expect(await page.url()).toContain(`key=${STAGING_KEY}`);
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
      await popup.screenshot('popup-projects');
    });

    /**
     * The page fires requests to `base` + `<tag>-<i>` continuously (at least 1.5 s, and until every
     * switch is done) while the popup switches projects; resolves with the statuses the page saw.
     */
    async function loadWhileSwitching(base: string, t: string): Promise<number[]> {
      type LoadWindow = Window & { __stopLoad?: boolean };
      const load = page.evaluate(
        async ({ base, prefix }) => {
          const w = window as LoadWindow;
          w.__stopLoad = false;
          const statuses: number[] = [];
          const minUntil = Date.now() + 1500;
          const maxUntil = Date.now() + 30_000;
          for (let i = 0; (Date.now() < minUntil || !w.__stopLoad) && Date.now() < maxUntil; i++) {
            statuses.push((await fetch(`${base}${prefix}-${i}`)).status);
          }
          return statuses;
        },
        { base, prefix: t },
      );
      for (const name of ['Staging', 'Live', 'Staging', 'Live']) await activate(popup, name);
      await page.evaluate(() => {
        (window as LoadWindow).__stopLoad = true;
      });
      return load;
    }

    it('while switching back and forth under load, every request carries exactly one project’s key', async () => {
      await page.goto(pages.url('127.0.0.1'));
      const t = tag();
      const statuses = await loadWhileSwitching('https://api.os.uk/__echo?', t);
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

    it('under the same switching, the activity log and usage tell what the mock received, request by request (issue 17)', async () => {
      // Staging sends its key as a query parameter here, Live as a header: both ways are read back.
      await editMode(popup, 'Staging', 'Key query parameter');
      try {
        await page.goto(pages.url('127.0.0.1'));
        const t = tag();
        // The Places API: no other test here uses it, so its usage counts only these requests.
        const statuses = await loadWhileSwitching('https://api.os.uk/search/places/v1/find?query=', t);
        const seen = mock.requests.filter((x) => x.url.includes(t));
        expect(seen.length).toBe(statuses.length);
        const projectOf: Record<string, string> = { [STAGING_KEY]: 'Staging', [LIVE_KEY]: 'Live' };
        const modeOf: Record<string, string> = { header: 'header', query: 'query', bearer: 'oauth' };
        const wire = new Map(
          seen.map((r) => [
            r.query.query,
            {
              project: r.credential.source === 'none' ? null : projectOf[r.credential.value ?? ''],
              mode: modeOf[r.credential.source],
            },
          ]),
        );
        expect(new Set([...wire.values()].map((w) => w.project))).toEqual(new Set(['Staging', 'Live']));
        type Row = { path: string; projectName: string | null; mode: string | null };
        const listed = () =>
          popup.evaluate(async (marker) => {
            const reply = await chrome.runtime.sendMessage<unknown, { value: { rows: Row[] } }>({
              channel: 'os-api-keyring',
              type: 'getActivity',
              args: { limit: 3000 },
            });
            return reply.value.rows
              .filter((r) => r.path.includes(marker))
              .map((r) => ({
                query: new URLSearchParams(r.path.split('?')[1]).get('query'),
                project: r.projectName,
                mode: r.mode,
              }));
          }, t);
        let rows = await listed();
        for (let i = 0; i < 50 && rows.length < seen.length; i++) {
          await new Promise((r) => setTimeout(r, 100));
          rows = await listed();
        }
        expect(rows).toHaveLength(seen.length);
        for (const row of rows) expect({ query: row.query, ...wire.get(row.query ?? '') }).toEqual(row);
        // Usage per project: exactly the requests the mock received with that project's key.
        const usage = await popup.evaluate(async () => {
          const reply = await chrome.runtime.sendMessage<
            unknown,
            { value: { projects: { name: string; usage: { api: string; count: number }[] }[] } }
          >({ channel: 'os-api-keyring', type: 'getMonitoring', args: {} });
          return Object.fromEntries(
            reply.value.projects.map((p) => [p.name, p.usage.find((u) => u.api === 'places')?.count ?? 0]),
          );
        });
        // (Refusals, 401/403, are not usage: the gateway refuses them before the rate limit.)
        const received = (key: string) =>
          seen.filter(
            (r) => r.credential.source !== 'none' && r.credential.value === key && r.status !== 401 && r.status !== 403,
          ).length;
        expect(usage).toMatchObject({ Staging: received(STAGING_KEY), Live: received(LIVE_KEY) });
      } finally {
        await editMode(popup, 'Staging', 'Key header');
      }
    });

    it('Off removes the credential, the badge and the coloured icon', async () => {
      await activate(popup, 'Off');
      await ext.waitForRules((r) => r.length === 0, 'no rules when Off');
      const t = tag();
      await page.goto(`https://api.os.uk${TILE}?${t}`);
      const r = await received((x) => x.url.includes(t));
      expect(r.credential.source).toBe('none');
      const toolbar = await ext.inExtension(async () => ({
        text: await chrome.action.getBadgeText({}),
        title: await chrome.action.getTitle({}),
      }));
      expect(toolbar).toEqual({ text: '', title: 'OS API Keyring: Off (no credential attached)' });
    });
  });

  return {
    get mock() {
      return mock;
    },
    get pages() {
      return pages;
    },
    get ext() {
      return ext;
    },
    get popup() {
      return popup;
    },
    get page() {
      return page;
    },
    tag,
    received,
  };
}
