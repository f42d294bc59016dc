// Where keys may go, end to end: pages on sites that are not allowed get nothing; allowing a site
// (through the popup's "Allow on this site") lets its requests carry the key; a pinned tab uses
// its own project while other tabs use the active one; redirect targets never get a credential.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { credentialsIn } from './extension-harness';
import { activate, addProject } from './popup-actions';
import { ext, mock, pages, popup, sessionForThisFile } from './session-fixture';

const KEY_A = 'SITESkeyA0000000000000000001';
const KEY_B = 'SITESkeyB0000000000000000002';
const KEY_Q = 'SITESkeyQ0000000000000000003';
const KEY_O = 'SITESkeyO0000000000000000004';
const SECRET_O = 'SITESsecretO4';

sessionForThisFile({
  mock: {
    projects: [
      { key: KEY_A, plan: 'live' },
      { key: KEY_B, plan: 'live' },
      { key: KEY_Q, plan: 'live' },
      { key: KEY_O, secret: SECRET_O, plan: 'live' },
    ],
    rateLimitPerMinute: { dev: 10_000, live: 10_000 },
  },
  pages: true,
  // `tabs` stands in for the activeTab grant a toolbar click gives (tab URLs visible to the popup);
  // the other.test host permission stands in for accepting the browser's prompt, which cannot be
  // clicked headless. The rules themselves still keep other.test's requests bare until allowed.
  launch: { grantForTests: { permissions: ['tabs'], hostPermissions: ['http://other.test/*'] } },
  projects: [
    { name: 'Alpha', key: KEY_A, mode: 'Key header' },
    { name: 'Beta', key: KEY_B, mode: 'Key header' },
  ],
  active: { name: 'Alpha', key: KEY_A },
});

/** Open a page and find its tab id (visible to the extension while the page is on a local host). */
async function openTab(url: string): Promise<{ page: Page; tabId: number }> {
  const page = await ext.context.newPage();
  const marker = `/?tab-marker-${Date.now()}`;
  await page.goto(pages.url('127.0.0.1', marker));
  const tabId = await (
    await ext.worker()
  ).evaluate(async (m) => (await chrome.tabs.query({})).find((t) => t.url?.endsWith(m))?.id, marker);
  if (tabId === undefined) throw new Error('tab not found');
  await page.goto(url);
  return { page, tabId };
}

async function fetchKey(page: Page, tag: string): Promise<string | undefined> {
  await page.evaluate(async (u) => void (await fetch(u)), `https://api.os.uk/__echo?${tag}`);
  return (await mock.waitForRequest((r) => r.url.includes(tag))).headers.key;
}

/** Follow a link from the page to the OS API; the key the mock received on that navigation. */
async function navigateKey(page: Page, tag: string): Promise<string | undefined> {
  await page.evaluate((u) => {
    const a = document.createElement('a');
    a.href = u;
    a.textContent = 'OS API';
    document.body.append(a);
    a.click();
  }, `https://api.os.uk/__echo?${tag}`);
  const key = (await mock.waitForRequest((r) => r.url.includes(tag))).headers.key;
  await page.waitForURL((u) => u.href.includes(tag));
  return key;
}

/** The popup page opened for a given tab, as the toolbar popup would be for the active tab. */
async function popupFor(tabId: number): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/src/popup/index.html?tabId=${tabId}`);
  await page.getByRole('heading', { name: 'OS API Keyring' }).waitFor();
  return page;
}

describe('per-site access', () => {
  it('a page on a site that is not allowed gets nothing, and the popup says so', async () => {
    const { page, tabId } = await openTab(pages.url('other.test'));
    expect(await fetchKey(page, 'site-before')).toBeUndefined();
    const p = await popupFor(tabId);
    await expect(p.locator('#page-access').textContent()).resolves.toMatch(
      /This site \(http:\/\/other\.test\) is not allowed: its requests to api\.os\.uk get no credential\./,
    );
    await expect(p.getByRole('button', { name: 'Allow on this site' }).isVisible()).resolves.toBe(true);
    await p.close();
    await page.close();
  });

  it('after Allow on this site its requests carry the key; after Revoke they do not', async () => {
    const { page, tabId } = await openTab(pages.url('other.test'));
    const p = await popupFor(tabId);
    // A plain-http site: the first click warns and asks again; nothing is allowed yet.
    await p.getByRole('button', { name: 'Allow on this site' }).click();
    await expect(p.getByRole('alert').filter({ hasText: 'plain http' }).textContent()).resolves.toMatch(
      /anyone on the network path .* can inject script into its pages and spend your key/,
    );
    expect((await ext.rules()).some((x) => x.condition.initiatorDomains?.includes('other.test'))).toBe(false);
    await p.getByRole('button', { name: 'Allow anyway (plain http)' }).click();
    await p.getByRole('button', { name: 'Revoke http://other.test' }).waitFor();
    await expect(p.locator('#page-access').textContent()).resolves.toMatch(
      /This site \(http:\/\/other\.test\) is allowed/,
    );
    await ext.waitForRules(
      (r) => r.some((x) => x.condition.initiatorDomains?.includes('other.test')),
      'other.test allowed',
    );
    expect(await fetchKey(page, 'site-allowed')).toBe(KEY_A);
    // So do its navigations (a link from a site that is not allowed carries nothing: navigation-guard.e2e.test.ts).
    expect(await navigateKey(page, 'site-allowed-nav')).toBe(KEY_A);
    await page.goto(pages.url('other.test'));

    await p.getByRole('button', { name: 'Revoke http://other.test' }).click();
    await ext.waitForRules(
      (r) => !r.some((x) => x.condition.initiatorDomains?.includes('other.test')),
      'other.test revoked',
    );
    expect(await fetchKey(page, 'site-revoked')).toBeUndefined();
    expect(await navigateKey(page, 'site-revoked-nav')).toBeUndefined();
    await p.close();
    await page.close();
  });

  it('a local page is allowed by default', async () => {
    const { page, tabId } = await openTab(pages.url('127.0.0.1', '/map'));
    const p = await popupFor(tabId);
    await expect(p.locator('#page-access').textContent()).resolves.toMatch(
      /^This local page \(.+\) gets the credential\.$/,
    );
    expect(await fetchKey(page, 'local-default')).toBe(KEY_A);
    await p.close();
    await page.close();
  });
});

describe('per-tab project', () => {
  it('a pinned tab uses its own project while another tab uses the active one; the badge shows the tab’s project', async () => {
    const one = await openTab(pages.url('127.0.0.1', '/one'));
    const two = await openTab(pages.url('127.0.0.1', '/two'));
    const p = await popupFor(one.tabId);
    await p.getByRole('combobox', { name: 'Use a different project in this tab' }).selectOption({ label: 'Beta' });
    await ext.waitForRules((r) => r.some((x) => x.condition.tabIds?.includes(one.tabId)), 'pinned rules');
    expect(await fetchKey(one.page, 'pinned-one')).toBe(KEY_B);
    expect(await fetchKey(two.page, 'unpinned-two')).toBe(KEY_A);
    // A typed OS API URL in the pinned tab too.
    await one.page.goto('https://api.os.uk/__echo?pinned-nav');
    expect((await mock.waitForRequest((r) => r.url.includes('pinned-nav'))).headers.key).toBe(KEY_B);
    // (The badge is set again after the tab navigated: Chromium clears tab-specific values then.)
    await expect
      .poll(async () => (await ext.worker()).evaluate((id) => chrome.action.getBadgeText({ tabId: id }), one.tabId))
      .toBe('BETA');
    const badges = await (
      await ext.worker()
    ).evaluate(
      async (ids) => ({
        pinned: await chrome.action.getBadgeText({ tabId: ids[0] }),
        other: await chrome.action.getBadgeText({ tabId: ids[1] }),
      }),
      [one.tabId, two.tabId],
    );
    expect(badges).toEqual({ pinned: 'BETA', other: 'ALPH' });

    // The pin ends when the tab closes.
    await one.page.close();
    await ext.waitForRules(
      (r) => !r.some((x) => x.condition.tabIds || x.condition.excludedTabIds),
      'pin gone with its tab',
    );
    await p.close();
    await two.page.close();
  });
});

describe('never another host', () => {
  it('the Downloads API’s 307 to the storage host arrives there without key or Authorization', async () => {
    const page = await ext.context.newPage();
    await page.goto(pages.url('127.0.0.1'));
    const url =
      'https://api.os.uk/downloads/v1/dataPackages/0040154231/versions/5500114558/downloads?fileName=mastermap_topo_part1.zip';
    await page.evaluate(async (u) => void (await fetch(u).catch(() => undefined)), url);
    const first = await mock.waitForRequest((r) => r.path.startsWith('/downloads/v1/dataPackages/0040154231'));
    expect(first.headers.key).toBe(KEY_A);
    expect(first.status).toBe(307);
    const blob = await mock.waitForRequest((r) => r.host === 'blob.test');
    expect(blob.headers.key).toBeUndefined();
    expect(blob.headers.authorization).toBeUndefined();
    expect(blob.query.key).toBeUndefined();
    // And a top-level navigation that follows the redirect.
    mock.clear();
    await page.goto(url).catch(() => undefined);
    const nav = await mock.waitForRequest((r) => r.host === 'blob.test');
    expect(nav.headers.key).toBeUndefined();
    expect(nav.headers.authorization).toBeUndefined();
    await page.close();
  });

  it.each([
    ['Key query parameter', 'Query', KEY_Q, (r: { query: Record<string, string> }) => expect(r.query.key).toBe(KEY_Q)],
    [
      'OAuth 2 bearer token',
      'Bearer',
      KEY_O,
      (r: { headers: Record<string, string | undefined> }) => expect(r.headers.authorization).toMatch(/^Bearer \S+$/),
    ],
  ] as const)(
    'in %s mode too, the 307 to the storage host arrives there without key, token or key parameter',
    async (mode, name, key, sentWith) => {
      await addProject(popup, { name, key, mode, ...(mode === 'OAuth 2 bearer token' ? { secret: SECRET_O } : {}) });
      await activate(popup, name);
      await ext.waitForRules(
        (r) =>
          credentialsIn(r).some((c) => (mode === 'OAuth 2 bearer token' ? c.startsWith('Bearer ') : c.includes(key))),
        `${name} active`,
        10_000,
      );
      const page = await ext.context.newPage();
      await page.goto(pages.url('127.0.0.1'));
      mock.clear();
      const url = `https://api.os.uk/downloads/v1/dataPackages/0040154231/versions/5500114558/downloads?fileName=mastermap_topo_part1.zip&mode=${name}`;
      await page.evaluate(async (u) => void (await fetch(u).catch(() => undefined)), url);
      const first = await mock.waitForRequest((r) => r.path.startsWith('/downloads/v1/dataPackages/0040154231'));
      sentWith(first);
      expect(first.status).toBe(307);
      const blob = await mock.waitForRequest((r) => r.host === 'blob.test');
      expect(blob.headers.key).toBeUndefined();
      expect(blob.headers.authorization).toBeUndefined();
      expect(blob.query.key).toBeUndefined();
      expect(blob.url).not.toContain(key);
      await page.close();
      await activate(popup, 'Alpha');
      await ext.waitForRules((r) => credentialsIn(r).includes(KEY_A), 'Alpha active again');
    },
  );
});
