// Per-site access and per-tab pins in the background, against the fake browser.
import { describe, expect, it } from 'vitest';
import type { DnrRule } from '../../../src/core/dnr-rule';
import { settle } from '../../fakes/settle';
import { env, fake, freshBackgroundEachTest, send, start } from '../../fakes/background-prelude';

const pageRule = (rules: DnrRule[] = fake.sessionRules) => rules.find((r) => r.id === 1101);

freshBackgroundEachTest({ started: true });

async function twoProjects() {
  const a = await send('saveProject', { name: 'Alpha', key: 'AKEY', secret: '', authMode: 'header' });
  const b = await send('saveProject', { name: 'Beta', key: 'BKEY', secret: '', authMode: 'query', badgeText: 'BETA' });
  await send('setActiveProject', { id: a.id });
  return { a: a.id, b: b.id };
}

describe('per-site access', () => {
  it('a page on another site is reported as not allowed, and its requests get nothing', async () => {
    await twoProjects();
    const state = await send('getState', { tab: { id: 4, url: 'https://codepen.io/pen/x' } });
    expect(state.page).toEqual({
      tabId: 4,
      kind: 'site',
      site: 'https://codepen.io',
      allowed: false,
      listed: false,
      pin: undefined,
    });
    expect(pageRule()?.condition.initiatorDomains).toEqual(['localhost', '127.0.0.1', '[::1]', 'api.os.uk']);
  });

  it('allowing needs the browser’s grant first; then the site’s pages get the credential', async () => {
    await twoProjects();
    await expect(send('allowSite', { site: 'https://codepen.io' })).rejects.toMatchObject({
      detail: { code: 'not-granted' },
    });
    fake.grant('https://codepen.io/*');
    await send('allowSite', { site: 'https://codepen.io' });
    await settle();
    expect(pageRule()?.condition.initiatorDomains).toContain('codepen.io');
    const state = await send('getState', { tab: { id: 4, url: 'https://codepen.io/pen/x' } });
    expect(state).toMatchObject({ allowedSites: ['https://codepen.io'], page: { allowed: true, listed: true } });
  });

  it('a permission revoked in the browser’s settings stops it at once, even though the site is still listed', async () => {
    await twoProjects();
    fake.grant('https://codepen.io/*');
    await send('allowSite', { site: 'https://codepen.io' });
    fake.granted.delete('https://codepen.io/*');
    fake.events.onPermissionsRemoved.dispatch();
    await settle();
    expect(pageRule()?.condition.initiatorDomains).not.toContain('codepen.io');
    expect((await send('getState', { tab: { id: 4, url: 'https://codepen.io/' } })).page).toMatchObject({
      allowed: false,
      listed: true,
    });
  });

  it('revoking removes the site and gives back the permission', async () => {
    await twoProjects();
    fake.grant('https://codepen.io/*');
    await send('allowSite', { site: 'https://codepen.io' });
    await send('revokeSite', { site: 'https://codepen.io' });
    await settle();
    expect(fake.granted.has('https://codepen.io/*')).toBe(false);
    expect(pageRule()?.condition.initiatorDomains).not.toContain('codepen.io');
    expect((await send('getState', {})).allowedSites).toEqual([]);
  });

  it('local pages are allowed without asking; non-web pages are unsupported', async () => {
    expect((await send('getState', { tab: { id: 1, url: 'http://localhost:5173/' } })).page).toMatchObject({
      kind: 'local',
      allowed: true,
    });
    expect((await send('getState', { tab: { id: 1, url: 'chrome://extensions/' } })).page).toMatchObject({
      kind: 'unsupported',
      allowed: false,
    });
    // Even with the browser's permission in hand, a local host is not an "allowed site" (it is allowed already).
    fake.grant('http://localhost/*');
    await expect(send('allowSite', { site: 'http://localhost' })).rejects.toMatchObject({
      detail: { code: 'invalid', message: 'Only an http or https site other than a local one can be allowed.' },
    });
    expect((await send('getState', {})).allowedSites).toEqual([]);
  });
});

describe('per-tab pins', () => {
  it('a pinned tab uses its project; other tabs keep the active one; the badge shows the tab’s project', async () => {
    const { b } = await twoProjects();
    await send('pinTab', { tabId: 12, projectId: b });
    await settle();
    const global = fake.sessionRules.filter((r) => !r.condition.tabIds && r.action.type !== 'allow');
    const pinned = fake.sessionRules.filter((r) => r.condition.tabIds);
    expect(global.every((r) => r.condition.excludedTabIds?.includes(12))).toBe(true);
    expect(pinned.map((r) => [r.condition.tabIds, r.action.type])).toEqual([
      [[12], 'redirect'],
      [[12], 'redirect'],
    ]);
    expect(fake.tabBadges.get(12)).toMatchObject({
      text: 'BETA',
      title: 'OS API Keyring: Beta (Key query parameter) (this tab only)',
    });
    expect(fake.badge.text).toBe('ALPH');
    expect((await send('getState', { tab: { id: 12, url: 'http://localhost/' } })).page?.pin).toBe(b);
  });

  it('while a tab is pinned, requests of no tab (service and shared workers) get no credential; unpinned, they get the active one', async () => {
    const { b } = await twoProjects();
    const worker = {
      url: 'https://api.os.uk/search/names/v1/find?query=x',
      status: 200,
      tabId: -1,
      initiator: 'http://localhost:5173',
    };
    const wire: { tabId: number; key?: string; url: string }[] = [];
    fake.webRequest.onSendHeaders.addListener(
      (d) =>
        wire.push({
          tabId: d.tabId,
          url: d.url,
          ...(d.requestHeaders?.some((h) => h.name === 'key')
            ? { key: d.requestHeaders.find((h) => h.name === 'key')!.value! }
            : {}),
        }),
      { urls: ['https://api.os.uk/*'] },
      ['requestHeaders'],
    );
    fake.observeRequest(worker);
    expect(wire.at(-1)).toMatchObject({ tabId: -1, key: 'AKEY' });
    await send('pinTab', { tabId: 12, projectId: b });
    await settle();
    fake.observeRequest(worker);
    fake.observeRequest({ ...worker, tabId: 12 });
    fake.observeRequest({ ...worker, tabId: 3 });
    expect(wire.slice(-3)).toEqual([
      { tabId: -1, url: worker.url },
      { tabId: 12, url: `${worker.url}&key=BKEY` },
      { tabId: 3, url: worker.url, key: 'AKEY' },
    ]);
    await settle();
    const rows = (await send('getActivity', {})).rows;
    expect(rows.find((r) => r.tabId === -1)).toMatchObject({ projectId: null, reasonNone: 'worker-while-pinned' });
    await send('unpinTab', { tabId: 12 });
    await settle();
    fake.observeRequest(worker);
    expect(wire.at(-1)).toMatchObject({ tabId: -1, key: 'AKEY' });
  });

  it('the tab’s badge is set again when the tab loads a new page (Chromium clears it then)', async () => {
    const { b } = await twoProjects();
    await send('pinTab', { tabId: 12, projectId: b });
    await settle();
    fake.tabBadges.delete(12); // what Chromium does on navigation
    fake.events.onTabUpdated.dispatch(12, { status: 'loading' });
    await settle();
    expect(fake.tabBadges.get(12)).toMatchObject({ text: 'BETA' });
  });

  it('a pinned tab that closed while the worker slept loses its pin at the next wake', async () => {
    const { b } = await twoProjects();
    await send('pinTab', { tabId: 21, projectId: b });
    await settle();
    fake.killWorker();
    fake.closedTabs.add(21); // closed while no worker was listening
    await start();
    await settle();
    expect(fake.sessionRules.some((r) => r.condition.tabIds || r.condition.excludedTabIds)).toBe(false);
  });

  it('no tab listeners while nothing is pinned (they would wake the worker on every page load)', async () => {
    const { b } = await twoProjects();
    expect(fake.events.onTabUpdated.listeners).toHaveLength(0);
    expect(fake.events.onTabRemoved.listeners).toHaveLength(0);
    await send('pinTab', { tabId: 5, projectId: b });
    await settle();
    expect(fake.events.onTabUpdated.listeners).toHaveLength(1);
    await send('unpinTab', { tabId: 5 });
    await settle();
    expect(fake.events.onTabRemoved.listeners).toHaveLength(0);
  });

  it('Off in one tab: that tab gets nothing while the others keep the active project', async () => {
    await twoProjects();
    await send('pinTab', { tabId: 3, projectId: null });
    await settle();
    expect(
      fake.sessionRules.filter((r) => r.action.type !== 'allow').every((r) => r.condition.excludedTabIds?.includes(3)),
    ).toBe(true);
    expect(fake.tabBadges.get(3)).toMatchObject({ text: '' });
  });

  it('the pin ends when the tab closes (or on request), and the tab’s badge follows the global one again', async () => {
    const { b } = await twoProjects();
    await send('pinTab', { tabId: 12, projectId: b });
    await send('pinTab', { tabId: 13, projectId: b });
    await send('unpinTab', { tabId: 13 });
    await settle();
    expect(fake.tabBadges.get(13)).toMatchObject({ text: null });
    fake.closedTabs.add(12);
    fake.events.onTabRemoved.dispatch(12);
    await settle();
    expect(fake.sessionRules.some((r) => r.condition.tabIds || r.condition.excludedTabIds)).toBe(false);
    expect((await send('getState', { tab: { id: 12, url: 'http://localhost/' } })).page?.pin).toBeUndefined();
  });

  it('an OAuth project pinned to a tab gets and refreshes its own token', async () => {
    await twoProjects();
    const o = await send('saveProject', { name: 'Gamma', key: 'GKEY', secret: 'GSECRET', authMode: 'oauth' });
    await send('pinTab', { tabId: 7, projectId: o.id });
    await settle();
    expect(env.tokenRequests).toHaveLength(1);
    const pinned = fake.sessionRules.filter((r) => r.condition.tabIds && r.action.type === 'modifyHeaders');
    expect(pinned.map((r) => (r.action.type === 'modifyHeaders' ? r.action.requestHeaders[0]?.value : ''))).toEqual([
      'Bearer TOKEN1',
      'Bearer TOKEN1',
    ]);
    await env.advance(30_000, settle);
    expect(env.tokenRequests).toHaveLength(2);
  });
});
