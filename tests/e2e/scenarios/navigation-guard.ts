// Navigations to api.os.uk, end to end (issue 14, item 1): the ones the user starts (typed URL,
// reload, back) and the ones local pages and api.os.uk pages start carry the key; the ones a
// page on a site that is not allowed starts (link, location =, window.open, form GET and POST,
// meta refresh, iframe) carry nothing. Every assertion is about what the OS API mock received.
// Shared by Chromium (navigation-guard.e2e.test.ts) and Firefox (firefox-navigation-guard.e2e.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OsApiMock } from '../../mock/os-api-mock';
import { credentialsIn, type ExtensionDriver, type UiPage } from '../driver';
import { startPageServer, type PageServer } from '../page-server';
import { activate, addProject } from '../popup-actions';
import type { E2ETarget } from './target';

export const GUARD_KEY = 'GUARDkey00000000000000000003';

/** How a page sends the browser to a URL. */
export type NavigationKind = 'link' | 'location' | 'window.open' | 'form GET' | 'form POST' | 'iframe';
export const PAGE_NAVIGATIONS: readonly NavigationKind[] = [
  'link',
  'location',
  'window.open',
  'form GET',
  'form POST',
  'iframe',
];

export function navigationGuardScenarios<D extends ExtensionDriver>(target: E2ETarget<D>): void {
  let mock: OsApiMock;
  let pages: PageServer;
  let ext: D;
  let marker = 0;
  const tag = () => `nav${Date.now()}x${++marker}`;
  const echo = (t: string) => `https://api.os.uk/__echo?${t}`;

  /** The `key` header the mock received on the request tagged `t`. */
  async function keyReceived(t: string): Promise<string | undefined> {
    return (await mock.waitForRequest((r) => r.url.includes(t), 10_000)).headers.key;
  }

  /** From a page at `from`, navigate to a tagged echo URL the way `how` says; the key the mock saw. */
  async function navigateFrom(from: string, how: NavigationKind): Promise<string | undefined> {
    const page = await ext.newPage();
    try {
      await page.goto(from);
      const t = tag();
      // The page may be replaced mid-evaluate (link, location, form): that is the point. So the
      // evaluation's own answer is not awaited for long (Playwright sometimes never settles it
      // when the document goes away under it); what counts is what the mock receives.
      const started = page
        .evaluate(
          ([kind, url, t2]) => {
            if (kind === 'link') {
              const a = document.createElement('a');
              a.href = url;
              a.textContent = 'OS API';
              document.body.append(a);
              a.click();
            } else if (kind === 'location') {
              location.href = url;
            } else if (kind === 'window.open') {
              window.open(url);
            } else if (kind === 'iframe') {
              const frame = document.createElement('iframe');
              frame.src = url;
              document.body.append(frame);
            } else {
              const form = document.createElement('form');
              form.method = kind === 'form GET' ? 'get' : 'post';
              // A GET form replaces the query with its fields: the tag travels as a field name.
              form.action = kind === 'form GET' ? url.split('?')[0]! : url;
              const input = document.createElement('input');
              input.name = t2;
              input.value = '1';
              form.append(input);
              document.body.append(form);
              form.submit();
            }
          },
          [how, echo(t), t] as [NavigationKind, string, string],
        )
        .catch(() => undefined);
      await Promise.race([started, new Promise((r) => setTimeout(r, 2_000))]);
      return await keyReceived(t);
    } finally {
      void page.close().catch(() => undefined);
    }
  }

  beforeAll(async () => {
    mock = await target.startMock({ projects: [{ key: GUARD_KEY, plan: 'live' }] });
    pages = await startPageServer();
    ext = await target.launch(mock);
    const popup: UiPage = await ext.openPopup();
    await addProject(popup, { name: 'Guarded', key: GUARD_KEY, mode: 'Key header' });
    await activate(popup, 'Guarded');
    await ext.waitForRules((r) => credentialsIn(r).includes(GUARD_KEY), 'Guarded active');
  });

  afterAll(async () => {
    await ext?.close();
    await pages?.close();
    await mock?.close();
  });

  describe('navigations the user starts, or local and api.os.uk pages start, carry the key', () => {
    it('typed URL, reload and back', async () => {
      const page = await ext.newPage();
      const t = tag();
      await page.goto(echo(t));
      expect(await keyReceived(t)).toBe(GUARD_KEY);
      mock.clear();
      await page.reload().catch(() => undefined); // the echo is JSON: reload waits for no <h1>
      expect(await keyReceived(t)).toBe(GUARD_KEY);
      await page.goto(pages.url('127.0.0.1'));
      mock.clear();
      await page.evaluate(() => history.back());
      expect(await keyReceived(t)).toBe(GUARD_KEY);
      await page.close();
    });

    it('a link from a local page and from an api.os.uk page', async () => {
      expect(await navigateFrom(pages.url('127.0.0.1'), 'link')).toBe(GUARD_KEY);
      expect(await navigateFrom(pages.url('localhost'), 'location')).toBe(GUARD_KEY);
      expect(await navigateFrom(echo('an-os-page'), 'link')).toBe(GUARD_KEY);
    });
  });

  describe('navigations a site that is not allowed starts carry nothing', () => {
    for (const how of PAGE_NAVIGATIONS) {
      it(how, async () => {
        expect(await navigateFrom(pages.url('other.test'), how)).toBeUndefined();
      });
    }

    it('meta refresh', async () => {
      const page = await ext.newPage();
      const t = tag();
      await page
        .goto(pages.url('other.test', `/meta-refresh?to=${encodeURIComponent(echo(t))}`))
        .catch(() => undefined);
      expect(await keyReceived(t)).toBeUndefined();
      await page.close().catch(() => undefined);
    });
  });
}
