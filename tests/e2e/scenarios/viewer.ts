// The in-tab viewer for OS API responses (issue 18), end to end with the built extension against
// the OS API mock: a typed NGD Features URL drawn on an OS map whose tiles carry the credential,
// next page, a Names result in British National Grid placed where it belongs, an OS error
// explained, query mode, and the viewer turned off. Every document is checked for the key.
// Shared by Chromium (viewer.e2e.test.ts) and Firefox (firefox-viewer.e2e.test.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toLonLat } from '../../../src/core/coordinates';
import type { OsApiMock } from '../../mock/os-api-mock';
import { credentialsIn, type ExtensionDriver, type UiPage } from '../driver';
import { activate, addProject, editMode } from '../popup-actions';
import type { E2ETarget } from './target';

export const VIEWER_KEY = 'VIEWERkey0000000000000000042';
const NGD_ITEMS = 'https://api.os.uk/features/ngd/ofa/v1/collections/bld-fts-building-3/items';
const NAMES = 'https://api.os.uk/search/names/v1/find?query=Southampton';
/**
 * Where the mock's OS Names entry for Southampton (442405 E, 112143 N, British National Grid)
 * belongs in WGS84: by core's conversion, which the unit tests pin to OS's own worked example
 * within 10 m (coordinates.test.ts)...
 */
const [SOUTHAMPTON_LNG, SOUTHAMPTON_LAT] = toLonLat('EPSG:27700', [442405, 112143])!;
/** ...and, as a check on the whole chain, within 1 km of Southampton's Civic Centre (50.9086 N, 1.4046 W). */
const CIVIC_CENTRE = { lat: 50.9086, lng: -1.4046 };

export interface ViewerContext<D extends ExtensionDriver> {
  readonly mock: OsApiMock;
  readonly ext: D;
  readonly popup: UiPage;
  readonly page: UiPage;
  /** Facts read from the viewer's shadow root. */
  viewer: () => Promise<ViewerFacts | null>;
  /** Everything a script could read from the page: the DOM, the viewer's shadow DOM, field values and the title. */
  pageText: () => Promise<string>;
  waitForViewer: (pred: (v: ViewerFacts) => boolean, what: string) => Promise<ViewerFacts>;
  clickInViewer: (buttonText: string) => Promise<void>;
}

export interface ViewerFacts {
  heading: string;
  project: string;
  status: string;
  url: string;
  summary: string | null;
  drawn: number | null;
  paths: number;
  rows: { title: string; lat: number; lng: number }[];
  explanation: string | null;
  note: string | null;
  tabs: string[];
}

export function viewerScenarios<D extends ExtensionDriver>(
  target: E2ETarget<D>,
  options: { queryMode?: boolean } = {},
): ViewerContext<D> {
  let mock: OsApiMock;
  let ext: D;
  let popup: UiPage;
  let page: UiPage;

  const viewer = () =>
    page.evaluate((): ViewerFacts | null => {
      const root = document.getElementById('os-api-keyring-viewer')?.shadowRoot;
      if (!root) return null;
      const text = (sel: string) => root.querySelector(sel)?.textContent?.trim() ?? null;
      const map = root.querySelector<HTMLElement>('.map');
      return {
        heading: text('h1') ?? '',
        project: text('[data-fact="project"]') ?? '',
        status: text('[data-fact="status"]') ?? '',
        url: text('[data-testid="viewer-url"]') ?? '',
        summary: text('[data-testid="page-summary"]'),
        drawn: map?.dataset.drawn ? Number(map.dataset.drawn) : null,
        paths: root.querySelectorAll('.map path.leaflet-interactive').length,
        rows: [...root.querySelectorAll('table.features tbody tr')].map((tr) => ({
          title: tr.querySelector('td')?.textContent ?? '',
          lat: Number(tr.querySelector<HTMLElement>('[data-lat]')?.dataset.lat),
          lng: Number(tr.querySelector<HTMLElement>('[data-lng]')?.dataset.lng),
        })),
        explanation: text('.explanation'),
        note: text('.warning'),
        tabs: [...root.querySelectorAll('[role="tab"]')].map((t) => t.textContent ?? ''),
      };
    });

  const pageText = () =>
    page.evaluate(() => {
      const root = document.getElementById('os-api-keyring-viewer')?.shadowRoot;
      const fields = [
        ...document.querySelectorAll('input, textarea'),
        ...(root ? root.querySelectorAll('input, textarea') : []),
      ].map((f) => (f as HTMLInputElement).value);
      return [document.title, document.documentElement.outerHTML, root?.innerHTML ?? '', ...fields].join('\n');
    });

  async function waitForViewer(pred: (v: ViewerFacts) => boolean, what: string): Promise<ViewerFacts> {
    const deadline = Date.now() + 15_000;
    let last: ViewerFacts | null = null;
    while (Date.now() < deadline) {
      last = await viewer().catch(() => null);
      if (last && pred(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    const doc = await page.evaluate(() => `${document.contentType} at ${location.pathname}`).catch(() => '?');
    throw new Error(`Timed out waiting for the viewer: ${what}. Last seen: ${JSON.stringify(last)}; document: ${doc}`);
  }

  async function clickInViewer(buttonText: string): Promise<void> {
    const clicked = await page.evaluate((label) => {
      const root = document.getElementById('os-api-keyring-viewer')?.shadowRoot;
      const button = [...(root?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === label);
      button?.click();
      return button !== undefined;
    }, buttonText);
    if (!clicked) throw new Error(`no "${buttonText}" button in the viewer`);
  }

  beforeAll(async () => {
    mock = await target.startMock({ projects: [{ key: VIEWER_KEY, plan: 'live' }] });
    ext = await target.launch(mock);
    popup = await ext.openPopup();
    await addProject(popup, { name: 'Viewer', key: VIEWER_KEY, mode: 'Key header' });
    await activate(popup, 'Viewer');
    await ext.waitForRules((r) => credentialsIn(r).includes(VIEWER_KEY), 'Viewer active');
    page = await ext.newPage();
  });

  afterAll(async () => {
    await ext?.close();
    await mock?.close();
  });

  beforeEach(() => {
    mock.clear();
    mock.resetRateLimits();
  });

  describe('the response viewer', () => {
    it('a typed NGD Features URL shows its 25 features on an OS map whose tiles carry the credential', async () => {
      await page.bringToFront();
      await page.goto(`${NGD_ITEMS}?limit=25`);
      const v = await waitForViewer((x) => x.drawn === 25, '25 features drawn');
      expect(v.heading).toBe('OS NGD API – Features');
      expect(v.project).toBe('Viewer (Key header)');
      expect(v.status).toBe('200');
      expect(v.summary).toBe('Features 1–25');
      expect(v.paths).toBe(25);
      expect(v.rows).toHaveLength(25);
      // The mock's first feature is at -1.4702, 50.9378 (CRS84).
      expect(v.rows[0]).toMatchObject({ title: 'Mock Building v3 0' });
      expect(v.rows[0]!.lat).toBeCloseTo(50.9378, 6);
      expect(v.rows[0]!.lng).toBeCloseTo(-1.4702, 6);
      // The items request and the map's tile requests all reached the mock with the key header.
      expect((await mock.waitForRequest((r) => r.path.endsWith('/items'))).headers.key).toBe(VIEWER_KEY);
      const tile = await mock.waitForRequest((r) => r.path.startsWith('/maps/raster/v1/zxy/Light_3857/'), 10_000);
      expect(tile.credential).toMatchObject({ source: 'header' });
      expect(tile.headers.key).toBe(VIEWER_KEY);
      expect(tile.url).not.toContain('key=');
      expect(tile.status).toBe(200);
      expect(
        mock.requests.filter((r) => r.path.startsWith('/maps/raster/')).every((r) => r.headers.key === VIEWER_KEY),
      ).toBe(true);
      expect(await pageText()).not.toContain(VIEWER_KEY);
    });

    it('Next page loads the next 25, with the key, and Previous page goes back', async () => {
      await page.bringToFront();
      await page.goto(`${NGD_ITEMS}?limit=25`);
      await waitForViewer((x) => x.drawn === 25, 'first page');
      mock.clear();
      await clickInViewer('Next page');
      const next = await waitForViewer((x) => x.summary === 'Features 26–50' && x.drawn === 25, 'second page');
      expect(next.rows[0]!.title).toBe('Mock Building v3 25');
      const req = await mock.waitForRequest((r) => r.path.endsWith('/items') && r.query.offset === '25');
      expect(req.headers.key).toBe(VIEWER_KEY);
      expect(await page.url()).toContain('offset=25');
      await clickInViewer('Previous page');
      await waitForViewer((x) => x.summary === 'Features 1–25', 'back to the first page');
      expect(await pageText()).not.toContain(VIEWER_KEY);
    });

    it('an OS Names result in British National Grid lands where it belongs', async () => {
      await page.bringToFront();
      await page.goto(NAMES);
      const v = await waitForViewer((x) => x.drawn === 1, 'one Names result');
      expect(v.heading).toBe('OS Names API');
      expect(v.summary).toBe('Results 1–1 of 1');
      expect(v.rows[0]!.title).toBe('Southampton');
      const { lat, lng } = v.rows[0]!;
      expect(lat).toBeCloseTo(SOUTHAMPTON_LAT, 6);
      expect(lng).toBeCloseTo(SOUTHAMPTON_LNG, 6);
      const kmFromCivicCentre = Math.hypot(
        (lat - CIVIC_CENTRE.lat) * 111.2,
        (lng - CIVIC_CENTRE.lng) * 111.2 * Math.cos((lat * Math.PI) / 180),
      );
      expect(kmFromCivicCentre).toBeLessThan(1);
      // The map is centred on it (fitted to the one feature).
      expect(v.paths).toBe(1);
      expect(await pageText()).not.toContain(VIEWER_KEY);
    });

    it("an error URL shows OS's reason, explained", async () => {
      await page.bringToFront();
      await page.goto('https://api.os.uk/features/ngd/ofa/v1/collections/no-such-collection-1/items');
      const v = await waitForViewer((x) => x.explanation !== null, 'an explanation');
      expect(v.status).toBe('404');
      expect(v.explanation).toContain('Not found');
      expect(v.explanation).toContain("Collection 'no-such-collection-1' is not a supported Collection");
      expect(v.drawn).toBeNull();
      expect(v.tabs).toEqual(['Tree', 'Raw']);
      expect(await pageText()).not.toContain(VIEWER_KEY);
    });

    it.runIf(options.queryMode ?? true)(
      'in key query parameter mode the header says the key is in the address bar, and the page holds no key',
      async () => {
        await editMode(popup, 'Viewer', 'Key query parameter');
        await ext.waitForRules((r) => r.some((x) => x.action.type === 'redirect'), 'query mode');
        await page.bringToFront();
        await page.goto(`${NGD_ITEMS}?limit=5`);
        const v = await waitForViewer((x) => x.drawn === 5, 'five features');
        expect(await page.url()).toContain(`key=${VIEWER_KEY}`);
        expect(v.project).toBe('Viewer (Key query parameter)');
        expect(v.note).toContain('The key is in the address bar');
        expect(v.url).toContain('key=…redacted…');
        // The mock echoes ?key= into the NGD links: the page shows them redacted too.
        expect(await pageText()).not.toContain(VIEWER_KEY);
        expect(
          (await mock.waitForRequest((r) => r.path.startsWith('/maps/raster/v1/zxy/Light_3857/'), 10_000)).credential
            .source,
        ).toBe('query');
        await editMode(popup, 'Viewer', 'Key header');
        // Header mode keeps redirect rules of its own (they strip a placeholder key, #14), but none adds the key.
        await ext.waitForRules(
          (r) =>
            r.every((x) => x.action.type !== 'redirect' || !JSON.stringify(x.action).includes(VIEWER_KEY)) &&
            credentialsIn(r).includes(VIEWER_KEY),
          'header mode again',
        );
      },
    );
  });

  return {
    get mock() {
      return mock;
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
    viewer,
    pageText,
    waitForViewer,
    clickInViewer,
  };
}
