// A placeholder `key` left in a page's URLs (issue 14, item 2), end to end: in Key header and
// OAuth 2 modes the extension removes the `key` query parameter before the request leaves, for
// page requests and navigations, so OS receives exactly one credential; URLs without `key` are
// not redirected at all; query mode replaces the placeholder with the key. Every assertion is
// about what the OS API mock received (or, for "not redirected", what the page saw).
// Shared by Chromium (placeholder-key.e2e.test.ts) and Firefox (firefox-placeholder-key.e2e.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OsApiMock, RecordedRequest } from '../../mock/os-api-mock';
import { credentialsIn, type ExtensionDriver, type UiPage } from '../driver';
import { startPageServer, type PageServer } from '../page-server';
import { activate, addProject } from '../popup-actions';
import type { E2ETarget } from './target';

export const HEADER_KEY = 'PLACEHOLDERheader0000000000004';
export const OAUTH_KEY = 'PLACEHOLDERoauth00000000000005';
export const OAUTH_SECRET = 'PLACEHOLDERsecret05';
export const QUERY_KEY = 'PLACEHOLDERquery00000000000006';

export function placeholderKeyScenarios<D extends ExtensionDriver>(target: E2ETarget<D>): void {
  let mock: OsApiMock;
  let pages: PageServer;
  let ext: D;
  let popup: UiPage;
  let page: UiPage;
  let marker = 0;
  const tag = () => `ph${Date.now()}x${++marker}`;
  const echo = (query: string) => `https://api.os.uk/__echo?${query}`;

  const received = (t: string): Promise<RecordedRequest> => mock.waitForRequest((r) => r.url.includes(t), 10_000);

  /** fetch from the local page: whether the page saw a redirect, and the URL it ended at. */
  function fetchFromPage(url: string): Promise<{ status: number; redirected: boolean; url: string }> {
    return page.evaluate(async (u) => {
      const res = await fetch(u);
      return { status: res.status, redirected: res.redirected, url: res.url };
    }, url);
  }

  /** The activity-log rows whose path holds `t`, once the monitor has recorded them. */
  async function loggedRows(
    t: string,
    count: number,
  ): Promise<{ mode: string | null; placeholderKeyRemoved?: boolean }[]> {
    type Row = { path: string; mode: string | null; placeholderKeyRemoved?: boolean };
    for (let i = 0; ; i++) {
      const rows = await popup.evaluate(async (m) => {
        const reply = await chrome.runtime.sendMessage<unknown, { value: { rows: Row[] } }>({
          channel: 'os-api-keyring',
          type: 'getActivity',
          args: { limit: 3000 },
        });
        return reply.value.rows
          .filter((r) => r.path.includes(m))
          .map((r) => ({ mode: r.mode, ...(r.placeholderKeyRemoved ? { placeholderKeyRemoved: true } : {}) }));
      }, t);
      if (rows.length >= count || i > 50) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    mock = await target.startMock({
      projects: [
        { key: HEADER_KEY, plan: 'live' },
        { key: OAUTH_KEY, secret: OAUTH_SECRET, plan: 'live' },
        { key: QUERY_KEY, plan: 'live' },
      ],
    });
    pages = await startPageServer();
    ext = await target.launch(mock);
    popup = await ext.openPopup();
    await addProject(popup, { name: 'Roads', key: HEADER_KEY, mode: 'Key header' });
    await activate(popup, 'Roads');
    await ext.waitForRules((r) => credentialsIn(r).includes(HEADER_KEY), 'Header active');
    page = await ext.newPage();
    await page.goto(pages.url('127.0.0.1'));
  });

  afterAll(async () => {
    await ext?.close();
    await pages?.close();
    await mock?.close();
  });

  describe('Key header mode', () => {
    it('a page request with key=KEY-FROM-EXTENSION, key= or a bare key reaches OS with the header and no key parameter', async () => {
      for (const placeholder of ['key=KEY-FROM-EXTENSION', 'key=', 'key']) {
        const t = tag();
        const seen = await fetchFromPage(echo(`tag=${t}&${placeholder}&other=1`));
        expect(seen.status, placeholder).toBe(200);
        const r = await received(t);
        // (Chromium writes the query back as `name=value` pairs; Firefox keeps it as it was.)
        expect(r.query, placeholder).toEqual({ tag: t, other: '1' });
        expect(r.url, placeholder).not.toMatch(/[?&]key(=|&|$)/);
        expect(r.headers.key, placeholder).toBe(HEADER_KEY);
      }
    });

    it('a percent-encoded key name (%6Bey=, k%65y=) is removed too, from page requests and navigations', async () => {
      for (const placeholder of ['%6Bey=OLD', '%6bey=OLD&k%65y=TWO']) {
        const t = tag();
        expect((await fetchFromPage(echo(`tag=${t}&${placeholder}&other=1`))).status, placeholder).toBe(200);
        const r = await received(t);
        // The mock decodes parameter names, as servers commonly do: a %6Bey left in would read as key.
        expect(r.query, placeholder).toEqual({ tag: t, other: '1' });
        expect(r.headers.key, placeholder).toBe(HEADER_KEY);
      }
      const tab = await ext.newPage();
      try {
        const t = tag();
        await tab.goto(echo(`tag=${t}&%6Bey=KEY-FROM-EXTENSION`)).catch(() => undefined);
        const r = await received(t);
        expect(r.query).toEqual({ tag: t });
        expect(r.headers.key).toBe(HEADER_KEY);
      } finally {
        await tab.close().catch(() => undefined);
      }
    });

    it('a page request without key is not redirected and gets the header', async () => {
      const t = tag();
      const seen = await fetchFromPage(echo(`tag=${t}&monkey=1&Key=2`));
      expect(seen).toEqual({ status: 200, redirected: false, url: echo(`tag=${t}&monkey=1&Key=2`) });
      const r = await received(t);
      expect(r.url).toBe(`/__echo?tag=${t}&monkey=1&Key=2`);
      expect(r.headers.key).toBe(HEADER_KEY);
    });

    it('a typed navigation with a placeholder key reaches OS with the header and no key parameter', async () => {
      const tab = await ext.newPage();
      try {
        const t = tag();
        await tab.goto(echo(`tag=${t}&key=KEY-FROM-EXTENSION`)).catch(() => undefined); // JSON: no <h1> to wait for
        const r = await received(t);
        expect(r.query).toEqual({ tag: t });
        expect(r.headers.key).toBe(HEADER_KEY);
      } finally {
        await tab.close().catch(() => undefined);
      }
    });

    it('the activity log says the placeholder was removed', async () => {
      const t = tag();
      await fetchFromPage(echo(`tag=${t}&key=KEY-FROM-EXTENSION`));
      await fetchFromPage(echo(`tag=${t}&plain=1`));
      await received(t);
      const rows = await loggedRows(t, 2);
      expect(rows).toEqual(
        expect.arrayContaining([{ mode: 'header', placeholderKeyRemoved: true }, { mode: 'header' }]),
      );
      expect(rows).toHaveLength(2);
    });
  });

  describe('OAuth 2 mode', () => {
    beforeAll(async () => {
      await addProject(popup, { name: 'Rivers', key: OAUTH_KEY, secret: OAUTH_SECRET, mode: 'OAuth 2 bearer token' });
      await activate(popup, 'Rivers');
      await ext.waitForRules((r) => credentialsIn(r).some((c) => c.startsWith('Bearer ')), 'Bearer token attached');
    });

    it('a page request with a placeholder key reaches OS with the Bearer token and no key parameter', async () => {
      const t = tag();
      expect((await fetchFromPage(echo(`tag=${t}&key=KEY-FROM-EXTENSION`))).status).toBe(200);
      const r = await received(t);
      expect(r.query).toEqual({ tag: t });
      expect(r.headers.authorization).toMatch(/^Bearer ./);
      expect(r.headers.key).toBeUndefined();
    });

    it('a request without key is not redirected', async () => {
      const t = tag();
      expect(await fetchFromPage(echo(`tag=${t}`))).toMatchObject({ status: 200, redirected: false });
      expect((await received(t)).headers.authorization).toMatch(/^Bearer ./);
    });
  });

  describe('Key query parameter mode', () => {
    beforeAll(async () => {
      await addProject(popup, { name: 'Rails', key: QUERY_KEY, mode: 'Key query parameter' });
      await activate(popup, 'Rails');
      await ext.waitForRules((r) => credentialsIn(r).includes(QUERY_KEY), 'Query active');
    });

    it('replaces the placeholder with the key (and adds it where there was none)', async () => {
      const t = tag();
      await fetchFromPage(echo(`tag=${t}&key=KEY-FROM-EXTENSION`));
      const r = await received(t);
      expect(r.query.key).toBe(QUERY_KEY);
      expect(r.url.match(/[?&]key=/g)).toHaveLength(1);
      expect(r.headers.key).toBeUndefined();
    });
  });
}
