// OAuth 2 bearer mode end to end: the extension fetches tokens from the mock's token endpoint,
// refreshes them before expiry, and never lets a request leave with an expired token. Shared by
// Chromium (oauth.e2e.test.ts) and Firefox (firefox-oauth.e2e.test.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OsApiMock } from '../../mock/os-api-mock';
import { credentialsIn, type ExtensionDriver, type UiPage } from '../driver';
import { startPageServer, type PageServer } from '../page-server';
import { activate, addProject, editProject } from '../popup-actions';
import type { E2ETarget } from './target';

export const KEY = 'OAUTHkey000000000000000007';
export const SECRET = 'OAUTHsecret0007';
export const LIFETIME_S = 10; // short, so three lifetimes fit in half a minute (refresh 5 s before expiry)

/** What a browser-specific file needs to add its own tests after the shared ones. */
export interface OAuthContext {
  readonly mock: OsApiMock;
  readonly ext: ExtensionDriver;
  readonly popup: UiPage;
}

export function oauthScenarios(target: E2ETarget): OAuthContext {
  let mock: OsApiMock;
  let pages: PageServer;
  let ext: ExtensionDriver;
  let popup: UiPage;
  let page: UiPage;

  const tokenRequests = () => mock.requests.filter((r) => r.path === '/oauth2/token/v1');
  const bearerOf = (headers: Record<string, string>) => headers.authorization?.replace(/^Bearer /, '');

  beforeAll(async () => {
    mock = await target.startMock({
      projects: [{ key: KEY, secret: SECRET, plan: 'live' }],
      tokenLifetimeSeconds: LIFETIME_S,
      rateLimitPerMinute: { dev: 10_000, live: 10_000 },
    });
    pages = await startPageServer();
    ext = await target.launch(mock);
    popup = await ext.openPopup();
    page = await ext.newPage();
    await addProject(popup, { name: 'Live OAuth', key: KEY, secret: SECRET, mode: 'OAuth 2 bearer token' });
  });

  afterAll(async () => {
    await ext?.close();
    await pages?.close();
    await mock?.close();
  });

  beforeEach(() => {
    mock.failTokenEndpoint(null);
  });

  describe('OAuth 2 bearer token', () => {
    it('activating fetches a token with Basic credentials intact, no key, no Bearer', async () => {
      mock.clear();
      await activate(popup, 'Live OAuth');
      const request = await mock.waitForRequest((r) => r.path === '/oauth2/token/v1');
      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`);
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(request.body).toBe('grant_type=client_credentials');
      expect(request.headers.key).toBeUndefined();
      expect(request.query.key).toBeUndefined();
      expect(request.status).toBe(200);
      const rules = await ext.waitForRules((r) => credentialsIn(r).some((c) => c.startsWith('Bearer ')), 'Bearer rule');
      expect(credentialsIn(rules).join()).not.toContain(KEY);
      await expect(popup.locator('#token-time-left').textContent()).resolves.toMatch(/^\d+ s$/);
      await popup.screenshot('popup-oauth');
    });

    it('a page polling through three token lifetimes sees zero 401s and several distinct tokens', async () => {
      await page.goto(pages.url('127.0.0.1'));
      mock.clear();
      const statuses = await page.evaluate(
        async (ms) => {
          const seen: number[] = [];
          const stopAt = Date.now() + ms;
          for (let i = 0; Date.now() < stopAt; i++) {
            seen.push((await fetch(`https://api.os.uk/__echo?poll=${i}`)).status);
            await new Promise((r) => setTimeout(r, 100));
          }
          return seen;
        },
        LIFETIME_S * 3 * 1000 + 2000,
      );
      const polled = mock.requests.filter((r) => r.path === '/__echo');
      expect(polled.length).toBe(statuses.length);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      const tokens = new Set(polled.map((r) => bearerOf(r.headers)));
      expect(tokens.size).toBeGreaterThanOrEqual(3);
      for (const r of polled) {
        expect(r.credential.source).toBe('bearer');
        expect(r.headers.key).toBeUndefined();
        expect(r.query.key).toBeUndefined();
      }
      // Each token was used only before the mock's own expiry time for it.
      const expiry = new Map(mock.issuedTokens().map((t) => [t.token, t.expiresAt]));
      for (const r of polled) expect(r.time).toBeLessThan(expiry.get(bearerOf(r.headers)!)!);
      // Every refresh went out exactly as OS specifies.
      for (const t of tokenRequests()) expect(t.headers.authorization).toMatch(/^Basic /);
    });

    it('a page’s own token request is left exactly as the page sent it', async () => {
      // Only meaningful while a Bearer rule is installed.
      expect(credentialsIn(await ext.rules()).some((c) => c.startsWith('Bearer '))).toBe(true);
      await page.goto(pages.url('127.0.0.1'));
      mock.clear();
      const basic = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
      const status = await page.evaluate(
        async (auth) =>
          (
            await fetch('https://api.os.uk/oauth2/token/v1', {
              method: 'POST',
              headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
              body: 'grant_type=client_credentials',
            })
          ).status,
        basic,
      );
      const own = mock.requests.find(
        (r) =>
          r.path === '/oauth2/token/v1' &&
          r.method === 'POST' &&
          r.headers.origin === pages.url('127.0.0.1').replace(/\/$/, ''),
      );
      expect(own?.headers.authorization).toBe(basic);
      expect(status).toBe(200);
    });

    it('a token endpoint failing with 500 is retried, says so, and recovers by itself', async () => {
      mock.failTokenEndpoint({ status: 500, body: '{"fault":"boom"}' });
      // Wait for a refresh to fail (at most one refresh interval).
      const failed = await mock.waitForRequest((r) => r.path === '/oauth2/token/v1' && r.status === 500, 8_000);
      await popup.bringToFront();
      await expect(popup.locator('section.oauth [role="alert"]').textContent({ timeout: 5_000 })).resolves.toMatch(
        /Token refresh failed\. The token endpoint failed \(HTTP 500\)\.Retrying in \d+ s/,
      );
      // The failure is also an alert of the Activity section (badge warning, notification if opted in).
      await expect(
        popup.locator('section[aria-labelledby="activity-heading"] [role="alert"]').textContent({ timeout: 5_000 }),
      ).resolves.toMatch(/Could not get an OAuth 2 token for Live OAuth: .*HTTP 500/);
      const tokensBefore = new Set(mock.issuedTokens().map((t) => t.token));
      mock.failTokenEndpoint(null);
      // A retry after the failure (waitForRequest also returns earlier matches: the order is checked by seq).
      await mock.waitForRequest((r) => r.path === '/oauth2/token/v1' && r.status === 200 && r.seq > failed.seq, 15_000);
      // Tokens issued since (a scheduled refresh may follow the retry within the test: any of them will do).
      const fresh = () =>
        mock
          .issuedTokens()
          .map((t) => t.token)
          .filter((t) => !tokensBefore.has(t));
      await ext.waitForRules(
        (r) => fresh().some((t) => credentialsIn(r).includes(`Bearer ${t}`)),
        'new token installed',
      );
      // The token panel's error goes once a token is back (the Activity alert stays for this opening: it was seen).
      await popup.locator('section.oauth [role="alert"]').waitFor({ state: 'detached', timeout: 5_000 });
      await page.goto(pages.url('127.0.0.1'));
      const status = await page.evaluate(async () => (await fetch('https://api.os.uk/__echo?after-recovery')).status);
      expect(status).toBe(200);
      // The page's request went out with the token got after recovery.
      const echo = await mock.waitForRequest((r) => r.url.includes('after-recovery'));
      expect(fresh()).toContain(bearerOf(echo.headers));
    });

    it('a token endpoint redirecting off api.os.uk: the redirect is not followed, so the key and secret reach no other host', async () => {
      mock.clear();
      mock.failTokenEndpoint({ status: 307, location: 'https://example.test/oauth2/token/v1', body: '' });
      await mock.waitForRequest((r) => r.path === '/oauth2/token/v1' && r.status === 307, 8_000);
      await popup.bringToFront();
      await expect(popup.locator('section.oauth [role="alert"]').textContent({ timeout: 5_000 })).resolves.toMatch(
        /redirect, which is never followed/,
      );
      // By the time the popup shows the failure, a followed redirect would have reached example.test (also the mock).
      expect(mock.requests.filter((r) => r.host !== 'api.os.uk').map((r) => `${r.host}${r.path}`)).toEqual([]);
      mock.failTokenEndpoint(null);
      await mock.waitForRequest((r) => r.path === '/oauth2/token/v1' && r.status === 200, 15_000);
      await popup.locator('section.oauth [role="alert"]').waitFor({ state: 'detached', timeout: 5_000 });
    });

    it('a wrong secret: the popup says the key or secret was rejected, and no Authorization goes out', async () => {
      await editProject(popup, 'Live OAuth', { secret: 'WRONGsecret' });
      const alert = popup.getByRole('alert').first();
      await expect(alert.textContent({ timeout: 5_000 })).resolves.toMatch(
        /Token refused\. OS rejected this project’s API key or secret/,
      );
      await ext.waitForRules((r) => r.length === 0, 'Bearer rule removed');
      expect(await ext.inExtension(() => chrome.action.getBadgeText({}))).toBe('!');
      // Refused credentials lose nothing: the project stays the active one, to be fixed in place.
      await expect(popup.getByRole('radio', { name: 'Live OAuth', exact: true }).isChecked()).resolves.toBe(true);
      await page.goto(pages.url('127.0.0.1'));
      mock.clear();
      const status = await page.evaluate(async () => (await fetch('https://api.os.uk/__echo?after-reject')).status);
      const r = await mock.waitForRequest((x) => x.url.includes('after-reject'));
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers.key).toBeUndefined();
      expect(status).toBe(401);
      await popup.screenshot('popup-oauth-rejected');
    });
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
  };
}
